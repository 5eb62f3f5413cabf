using System.Net;
using System.Net.Sockets;
using RaftMq.Consensus.Configuration;
using RaftMq.Consensus.Tests.Transport;
using RaftMq.Consensus.Transport;
using RaftMq.Foundation.Configuration;

namespace RaftMq.Consensus.Tests.Runtime;

public sealed class DialOverrideTests
{
    private const string Base = "dLegerGroup=g\ndLegerSelfId=n0\ndLegerPeers=n0-127.0.0.1:40911;n1-127.0.0.1:40912;n2-127.0.0.1:40913\n";

    [Fact]
    public void Dial_overrides_are_read_from_raftPeerDialOverrides()
    {
        var options = ConsensusOptions.FromProperties(PropertiesFile.Parse(Base + "raftPeerDialOverrides=n1-127.0.0.1:50001;n2-localhost:50002\n", "b.conf"));
        var transport = PeerTransportOptions.For(options);

        Assert.Equal([new DLedgerPeer("n1", "127.0.0.1", 50001), new DLedgerPeer("n2", "localhost", 50002)], options.PeerDialOverrides);
        Assert.Equal(new DLedgerPeer("n1", "127.0.0.1", 50001), transport.DialAddressOf(options.Peers.Find("n1")!));
        Assert.Equal(options.Peers.Canonical, transport.Peers.Canonical);
    }

    [Fact]
    public void A_dial_override_may_name_a_member_the_group_adds_later()
    {
        var options = ConsensusOptions.FromProperties(PropertiesFile.Parse(Base + "raftPeerDialOverrides=n7-127.0.0.1:50001\n", "b.conf"));

        Assert.Equal(new DLedgerPeer("n7", "127.0.0.1", 50001), PeerTransportOptions.For(options).DialAddressOf(new DLedgerPeer("n7", "127.0.0.1", 40999)));
    }

    [Theory]
    [InlineData("n0-127.0.0.1:50001", "is this node")]
    [InlineData("n1-127.0.0.1:50001;n1-127.0.0.1:50002", "more than once")]
    [InlineData("n1-127.0.0.1", "raftPeerDialOverrides")]
    public void Dial_override_naming_no_other_peer_is_refused_naming_the_key(string value, string expected)
    {
        var error = Assert.Throws<ConfigException>(() =>
            ConsensusOptions.FromProperties(PropertiesFile.Parse(Base + $"raftPeerDialOverrides={value}\n", "b.conf")));

        Assert.Contains("raftPeerDialOverrides", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Transport_dials_the_override_address_while_the_handshake_still_names_the_real_peer()
    {
        await using var group = new TransportGroup(2);
        await using var proxy = new ForwardingProxy(group.Ports[1]);
        var n1 = await group.Start("n1");
        var n0 = await group.Start("n0", group.OptionsFor("n0") with
        {
            DialOverrides = [new DLedgerPeer("n1", "127.0.0.1", proxy.Port)],
        });

        await Eventually.WaitUntil(() => n0.TrySend("n1", new byte[] { 42 }) && group.Count("n0", "connected", "n1") > 0, "n0 connected to n1");
        var received = await Eventually.ReadOne(n1);

        Assert.Equal("n0", received.From);
        Assert.Equal(new byte[] { 42 }, received.Payload);
        Assert.True(proxy.Connections > 0, "the connection went through the proxy");
    }

    /// <summary>Accepts on a free loopback port and pipes every connection to a target port, both ways.</summary>
    private sealed class ForwardingProxy : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _accept;
        private int _connections;

        public ForwardingProxy(int targetPort)
        {
            _listener.Start();
            _accept = AcceptAsync(targetPort);
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
        public int Connections => Volatile.Read(ref _connections);

        private async Task AcceptAsync(int targetPort)
        {
            try
            {
                while (true)
                {
                    var inbound = await _listener.AcceptTcpClientAsync(_stop.Token);
                    Interlocked.Increment(ref _connections);
                    var outbound = new TcpClient();
                    await outbound.ConnectAsync(IPAddress.Loopback, targetPort, _stop.Token);
                    _ = Pipe(inbound, outbound);
                    _ = Pipe(outbound, inbound);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
            }
        }

        private async Task Pipe(TcpClient from, TcpClient to)
        {
            try
            {
                await from.GetStream().CopyToAsync(to.GetStream(), _stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
            {
            }
            finally
            {
                from.Dispose();
                to.Dispose();
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Stop();
            await _accept;
        }
    }
}
