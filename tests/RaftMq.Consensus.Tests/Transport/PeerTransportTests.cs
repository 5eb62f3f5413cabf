using System.Buffers.Binary;
using System.Net.Sockets;
using RaftMq.Consensus.Transport;

namespace RaftMq.Consensus.Tests.Transport;

public class PeerTransportTests
{
    [Fact]
    public async Task Three_transports_deliver_many_payloads_in_order_per_sender()
    {
        await using var group = new TransportGroup(3);
        var nodes = new[] { await group.Start("n0"), await group.Start("n1"), await group.Start("n2") };
        const int perPair = 1500;
        for (int seq = 0; seq < perPair; seq++)
            for (int from = 0; from < 3; from++)
                for (int to = 0; to < 3; to++)
                    if (from != to) Assert.True(nodes[from].TrySend($"n{to}", Payload(from, seq)));

        for (int to = 0; to < 3; to++)
        {
            var next = new int[3];
            for (int received = 0; received < 2 * perPair; received++)
            {
                var inbound = await Eventually.ReadOne(nodes[to]);
                int from = inbound.From[1] - '0';
                Assert.Equal(Payload(from, next[from]), inbound.Payload);
                next[from]++;
            }
            Assert.False(nodes[to].Inbound.TryRead(out _));
        }
    }

    [Fact]
    public async Task A_peer_that_stops_reading_blocks_nobody_else()
    {
        // n1 stands for a frozen process: it keeps its sockets open but never reads, so its inbound channel, then the
        // kernel buffers, then n0's queue for it fill up. n0's sends to n2 must flow regardless.
        await using var group = new TransportGroup(3, tune: o => o with { InboundCapacity = 4, MaxQueuedBytesPerPeer = 4 << 20 });
        var n0 = await group.Start("n0");
        await group.Start("n1");
        var n2 = await group.Start("n2");
        await Eventually.WaitUntil(() => group.Count("n0", "connected", "n1") == 1 && group.Count("n0", "connected", "n2") == 1,
            "n0 is connected to both peers");

        var big = new byte[1 << 20];
        await Eventually.WaitUntil(() => !n0.TrySend("n1", big), "n0's queue for the frozen n1 is full");

        const int count = 200;
        for (int seq = 0; seq < count; seq++) Assert.True(n0.TrySend("n2", Payload(0, seq)));
        for (int seq = 0; seq < count; seq++)
        {
            var inbound = await Eventually.ReadOne(n2);
            Assert.Equal("n0", inbound.From);
            Assert.Equal(Payload(0, seq), inbound.Payload);
        }
        Assert.False(n0.TrySend("n1", big));
    }

    [Fact]
    public async Task Connected_peers_raise_PeerConnected_on_both_sides()
    {
        await using var group = new TransportGroup(2);
        await group.Start("n0");
        await group.Start("n1");
        await Eventually.WaitUntil(() => group.Count("n0", "connected", "n1") == 1 && group.Count("n1", "connected", "n0") == 1,
            "both nodes report the other connected");
        Assert.Contains(group.Logs["n1"].MessagesWithId(1530), m => m.Contains("n0", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Differing_peers_are_refused_on_both_sides_naming_both_configurations_and_nothing_is_delivered()
    {
        await using var group = new TransportGroup(3);
        string twoNodes = string.Join(';', group.PeersText.Split(';').Take(2));
        var n0 = await group.Start("n0");
        var n1 = await group.Start("n1", group.OptionsFor("n1", twoNodes));
        for (int i = 0; i < 10; i++)
        {
            n0.TrySend("n1", new byte[] { 1, 2, 3 });
            n1.TrySend("n0", new byte[] { 4, 5, 6 });
        }

        await Eventually.WaitUntil(() => group.Logs["n0"].Has(1520) && group.Logs["n0"].Has(1521)
                                      && group.Logs["n1"].Has(1520) && group.Logs["n1"].Has(1521),
            "both nodes logged the refusal as dialer and as acceptor");
        string threeCanonical = n0Canonical(group);
        // The acceptor logs both configurations; the dialer learns only the kind of problem, never the other's peers.
        foreach (var node in new[] { "n0", "n1" })
        {
            foreach (var message in group.Logs[node].MessagesWithId(1521))
            {
                Assert.Contains($"'{threeCanonical}'", message);
                Assert.Contains($"'{twoNodes}'", message);
            }
            foreach (var message in group.Logs[node].MessagesWithId(1520)) Assert.Contains("membership differs", message);
        }
        Assert.DoesNotContain(group.Logs["n1"].MessagesWithId(1520), m => m.Contains($"'{threeCanonical}'", StringComparison.Ordinal));
        Assert.False(n0.Inbound.TryRead(out _));
        Assert.False(n1.Inbound.TryRead(out _));
        Assert.Empty(group.Events);

        static string n0Canonical(TransportGroup g) => g.OptionsFor("n0").Peers.Canonical;
    }

    [Fact]
    public async Task A_different_group_is_refused_naming_both_groups()
    {
        await using var group = new TransportGroup(2);
        var n0 = await group.Start("n0");
        var (raw, response) = await RawPeer.Connect(group.Ports[0], group.OptionsFor("n1", group: "OtherGroup"));
        await using (raw)
        {
            Assert.False(response.Accepted);
            Assert.Equal("group differs", response.Reason);
            Assert.Equal("", response.Group);
            Assert.Equal("", response.CanonicalPeers);
            await raw.Send(RawPeer.Frame([9, 9, 9]));
            Assert.True(await raw.ClosedByRemote());
        }
        await Eventually.WaitUntil(() => group.Logs["n0"].Has(1521), "the acceptor logged the refusal");
        Assert.False(n0.Inbound.TryRead(out _));
    }

    [Fact]
    public async Task An_unknown_sender_id_is_refused()
    {
        await using var group = new TransportGroup(2);
        await group.Start("n0");
        // Same group and peers, but the sender claims an id that is not a member.
        var request = Handshake.CreateRequest(group.OptionsFor("n1")) with { SenderId = "n7" };
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", group.Ports[0]);
        await client.GetStream().WriteAsync(Handshake.Encode(request));
        var response = await Handshake.ReadResponseAsync(client.GetStream(), CancellationToken.None);
        Assert.False(response.Accepted);
        Assert.Equal("unknown member", response.Reason);
        Assert.Equal("", response.CanonicalPeers);
    }

    [Fact]
    public async Task An_endpoint_answered_by_the_wrong_member_is_not_used()
    {
        await using var group = new TransportGroup(3);
        var n0 = await group.Start("n0");
        // n2 misconfigured to listen where the group expects n1.
        await group.Start("n2", group.OptionsFor("n2") with { ListenEndpoint = new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, group.Ports[1]) });
        await Eventually.WaitUntil(() => group.Logs["n0"].Has(1523), "n0 noticed that n1's endpoint is answered by n2");
        Assert.Contains(group.Logs["n0"].MessagesWithId(1523), m => m.Contains("answered by node n2", StringComparison.Ordinal));
        Assert.Equal(0, group.Count("n0", "connected", "n1"));
        Assert.False(n0.Inbound.TryRead(out _));
    }

    [Fact]
    public async Task A_frame_with_a_bad_checksum_closes_the_connection_and_is_not_delivered()
    {
        await using var group = new TransportGroup(2);
        var n0 = await group.Start("n0");
        var (raw, response) = await RawPeer.Connect(group.Ports[0], group.OptionsFor("n1"));
        await using (raw)
        {
            Assert.True(response.Accepted);
            await raw.Send([.. RawPeer.Frame([1, 1, 1]), .. RawPeer.Frame([2, 2, 2], corruptCrc: true), .. RawPeer.Frame([3, 3, 3])]);
            Assert.True(await raw.ClosedByRemote());
        }
        var first = await Eventually.ReadOne(n0);
        Assert.Equal(new byte[] { 1, 1, 1 }, first.Payload);
        Assert.Equal("n1", first.From);
        await Eventually.WaitUntil(() => group.Logs["n0"].Has(1541), "the checksum failure was logged");
        Assert.False(n0.Inbound.TryRead(out _));
    }

    [Fact]
    public async Task A_frame_above_the_size_limit_is_refused_and_closes_the_connection()
    {
        await using var group = new TransportGroup(2, tune: o => o with { MaxFrameBytes = 1024 });
        var n0 = await group.Start("n0");
        var (raw, _) = await RawPeer.Connect(group.Ports[0], group.OptionsFor("n1"));
        await using (raw)
        {
            var header = new byte[FrameCodec.HeaderSize];
            BinaryPrimitives.WriteInt32BigEndian(header, 1025);
            await raw.Send(header);
            Assert.True(await raw.ClosedByRemote());
        }
        await Eventually.WaitUntil(() => group.Logs["n0"].Has(1540), "the oversized frame was logged");
        Assert.Contains(group.Logs["n0"].MessagesWithId(1540), m => m.Contains("1025", StringComparison.Ordinal));
        Assert.False(n0.Inbound.TryRead(out _));
    }

    [Fact]
    public async Task A_payload_above_the_size_limit_is_rejected_by_TrySend()
    {
        await using var group = new TransportGroup(2, tune: o => o with { MaxFrameBytes = 1024 });
        var n0 = await group.Start("n0");
        Assert.Throws<ArgumentException>(() => n0.TrySend("n1", new byte[1025]));
        Assert.True(n0.TrySend("n1", new byte[1024]));
    }

    [Fact]
    public async Task Garbage_instead_of_a_handshake_is_logged_and_closed()
    {
        await using var group = new TransportGroup(2);
        await group.Start("n0");
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", group.Ports[0]);
        await client.GetStream().WriteAsync("GET / HTTP/1.1\r\n\r\n"u8.ToArray());
        using var timeout = new CancellationTokenSource(Eventually.Deadline);
        int read;
        try { read = await client.GetStream().ReadAsync(new byte[16], timeout.Token); }
        catch (IOException) { read = 0; }
        Assert.Equal(0, read);
        await Eventually.WaitUntil(() => group.Logs["n0"].Has(1522), "the invalid handshake was logged");
    }

    private static byte[] Payload(int from, int seq)
    {
        // Sizes vary from empty to larger than the write batch buffer so both coalescing and direct writes run.
        int size = seq % 500 == 7 ? 200_000 : seq % 97;
        var payload = new byte[size + 8];
        BinaryPrimitives.WriteInt32BigEndian(payload, from);
        BinaryPrimitives.WriteInt32BigEndian(payload.AsSpan(4), seq);
        for (int i = 8; i < payload.Length; i++) payload[i] = (byte)(seq + i);
        return payload;
    }
}
