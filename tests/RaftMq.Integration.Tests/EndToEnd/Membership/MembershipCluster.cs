using System.Globalization;
using System.Net.Sockets;
using RaftMq.Cli.Processes;
using RaftMq.Client.Admin;
using RaftMq.Protocol.Remoting;

namespace RaftMq.Integration.Tests.EndToEnd.Membership;

/// <summary>One broker node of <see cref="MembershipCluster"/>: its id, ports and files. A node that moves gets new
/// ports but keeps its id and store.</summary>
public sealed record MemberNode(string Id, int ListenPort, int RaftPort, string ConfPath, string StoreDirectory)
{
    /// <summary>The address clients (and the name server's routes) use.</summary>
    public string ClientAddress => string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{ListenPort}");

    /// <summary>The Raft address: what dLegerPeers and addPeer -a name.</summary>
    public string RaftAddress => string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{RaftPort}");
}

/// <summary>
/// A name server and a broker group whose members change while it runs, as real raftmq processes on free loopback
/// ports; shared by the tests of <see cref="MembershipChangeTests"/>. It starts with the voters n0, n1, n2; every
/// test leaves three running voters behind (new nodes get new ids n3, n4, ...), so the tests run in any order.
/// </summary>
public sealed partial class MembershipCluster : IAsyncLifetime
{
    public const string ClusterName = "MemberCluster";
    public const string GroupName = "MemberGroup";
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(15);

    private readonly TestDirectory _root = new("membership");
    private readonly Dictionary<string, ChildProcess> _processes = new(StringComparer.Ordinal);
    private readonly List<MemberNode> _members = [];
    private ChildProcess? _nameServer;
    private MQAdminClient? _admin;
    private int _nextId;
    private int _nameServerPort;

    public string NameServer => string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{_nameServerPort}");

    public MQAdminClient Admin => _admin ?? throw new InvalidOperationException("cluster not started");

    /// <summary>The group's voters as the tests made them (what raftStatus must show).</summary>
    public IReadOnlyList<MemberNode> Members => _members;

    public async Task InitializeAsync()
    {
        _nameServerPort = LoopbackPorts.Allocate(1)[0];
        string nameServerConf = Path.Combine(_root.Path, "namesrv.conf");
        File.WriteAllText(nameServerConf, string.Create(CultureInfo.InvariantCulture, $"listenPort={_nameServerPort}\nbindAddress=127.0.0.1\n"));
        _nameServer = Start("namesrv", ["namesrv", "-c", nameServerConf]);
        await WaitUntilListeningAsync(_nameServer, _nameServerPort);

        var first = Enumerable.Range(0, 3).Select(_ => NewNode()).ToList();
        _members.AddRange(first);
        await Task.WhenAll(first.Select(node => StartAsync(node, first)));
        _admin = new MQAdminClient(new AdminOptions { NameServerAddresses = [NameServer], InstanceName = "membership-admin" });
        await _admin.StartAsync();
        await WaitForLeaderAsync();
    }

    /// <summary>A node with a new id, new ports and an empty store (not started, not a member yet).</summary>
    public MemberNode NewNode()
    {
        string id = string.Create(CultureInfo.InvariantCulture, $"n{_nextId++}");
        var ports = LoopbackPorts.Allocate(2);
        string directory = Path.Combine(_root.Path, id);
        Directory.CreateDirectory(directory);
        return new MemberNode(id, ports[0], ports[1], Path.Combine(directory, "broker.conf"), Path.Combine(directory, "store"));
    }

    /// <summary>The same node (id, store) on new ports: a move to another address.</summary>
    public static MemberNode Moved(MemberNode node)
    {
        var ports = LoopbackPorts.Allocate(2);
        return node with { ListenPort = ports[0], RaftPort = ports[1] };
    }

    /// <summary>Writes the node's broker.conf with <c>dLegerPeers</c> = <paramref name="peers"/> and starts it; returns
    /// once it accepts client connections.</summary>
    public async Task StartAsync(MemberNode node, IEnumerable<MemberNode> peers)
    {
        string dLegerPeers = string.Join(';', peers.Select(peer => $"{peer.Id}-{peer.RaftAddress}"));
        File.WriteAllLines(node.ConfPath,
            ClusterConfs.BrokerLines(ClusterName, GroupName, node.Id, node.ListenPort, _nameServerPort, dLegerPeers, node.StoreDirectory));
        if (_processes.Remove(node.Id, out var previous)) await previous.DisposeAsync();
        var process = Start($"broker-{node.Id}", ["broker", "-c", node.ConfPath]);
        _processes[node.Id] = process;
        await WaitUntilListeningAsync(process, node.ListenPort);
    }

    /// <summary>SIGKILL.</summary>
    public async Task KillAsync(MemberNode node)
    {
        var process = _processes[node.Id];
        process.Kill();
        await process.WaitForExitAsync(CancellationToken.None);
    }

    /// <summary>SIGTERM (the broker unregisters from the name server), SIGKILL after a grace period.</summary>
    public Task StopAsync(MemberNode node) => _processes[node.Id].StopAsync(StopGrace);

    /// <summary>Records the voters the group should now have.</summary>
    public void SetMembers(IEnumerable<MemberNode> members)
    {
        var list = members.ToList();
        _members.Clear();
        _members.AddRange(list);
    }

    public async Task DisposeAsync()
    {
        if (_admin is not null) await _admin.DisposeAsync();
        await Task.WhenAll(_processes.Values.Select(process => process.StopAsync(StopGrace)));
        foreach (var process in _processes.Values) await process.DisposeAsync();
        if (_nameServer is not null)
        {
            await _nameServer.StopAsync(StopGrace);
            await _nameServer.DisposeAsync();
        }
        _root.Dispose();
    }

    private ChildProcess Start(string name, string[] arguments)
    {
        string logs = Path.Combine(_root.Path, "logs");
        return ChildProcess.Start(RaftMqBinary.Launcher, name, [.. arguments, "-l", logs], _root.Path, Path.Combine(logs, name + ".out"));
    }

    private static Task WaitUntilListeningAsync(ChildProcess process, int port) =>
        Poll.UntilTrueAsync(async token =>
        {
            if (process.HasExited) throw new InvalidOperationException($"{process.Name} exited with {process.ExitCode}:\n{process.RecentOutput}");
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync("127.0.0.1", port, token);
                return true;
            }
            catch (SocketException)
            {
                return false;
            }
        }, Deadline, TimeSpan.FromMilliseconds(100), $"{process.Name} to listen on {port}", CancellationToken.None);
}
