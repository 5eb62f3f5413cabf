using RaftMq.Chaos.Network;
using RaftMq.Chaos.Processes;

namespace RaftMq.Chaos.Cluster;

/// <summary>One group member on disk and on the wire.</summary>
/// <param name="Id">DLedger self id, <c>n0</c>..<c>n4</c>.</param>
/// <param name="ListenPort">Client-facing remoting port.</param>
/// <param name="RaftPort">Real DLedger port (in <c>dLegerPeers</c>).</param>
/// <param name="ProxyPortTo">Per peer id: the port of proxy(this -&gt; peer), used in <c>raftPeerDialOverrides</c>.</param>
public sealed record NodeLayout(
    string Id,
    int ListenPort,
    int RaftPort,
    string Directory,
    string StoreDirectory,
    string ConfigPath,
    IReadOnlyDictionary<string, int> ProxyPortTo)
{
    public string BrokerAddress => $"127.0.0.1:{ListenPort}";
}

/// <summary>A cluster the harness generated: name server and group configs, ports, the proxy mesh between peers,
/// and how to start each process. (The CLI's LocalCluster.ClusterLayout reads an existing conf folder instead.)</summary>
public sealed record ProxiedClusterLayout(
    ClusterLayoutOptions Options,
    int NameServerPort,
    string NameServerConfigPath,
    IReadOnlyList<NodeLayout> Nodes)
{
    public string NameServerAddress => $"127.0.0.1:{NameServerPort}";

    /// <summary>The group's first members (n0..n{NodeCount-1}); the other nodes are spares.</summary>
    public IReadOnlyList<string> InitialMembers => [.. Nodes.Take(Options.NodeCount).Select(n => n.Id)];

    /// <summary>The <c>dLegerPeers</c> value of the first members: real Raft ports, identical on each of them.</summary>
    public string DLedgerPeers => PeersText(InitialMembers);

    /// <summary><c>dLegerPeers</c> text naming <paramref name="ids"/> at their real Raft ports.</summary>
    public string PeersText(IEnumerable<string> ids) => string.Join(";", ids.Select(id => $"{id}-127.0.0.1:{Node(id).RaftPort}"));

    public string LogDirectory => Path.Combine(Options.BaseDirectory, "logs");

    public NodeLayout Node(string id) => Nodes.Single(n => n.Id == id);

    /// <summary>The <c>raftPeerDialOverrides</c> value of a node: each peer through its proxy.</summary>
    public string DialOverrides(string id) => string.Join(";",
        Nodes.Where(n => n.Id != id).Select(peer => $"{peer.Id}-127.0.0.1:{Node(id).ProxyPortTo[peer.Id]}"));

    public ProcessSpec NameServerProcess() =>
        new("namesrv", Options.Command.FileName, Options.Command.Arguments("namesrv", NameServerConfigPath))
        {
            WorkingDirectory = Options.BaseDirectory,
            LogDirectory = LogDirectory,
        };

    public ProcessSpec BrokerProcess(string id) =>
        new($"broker-{id}", Options.Command.FileName, Options.Command.Arguments("broker", Node(id).ConfigPath))
        {
            WorkingDirectory = Node(id).Directory,
            LogDirectory = LogDirectory,
        };

    /// <summary>Starts the proxy mesh on the ports the configs name.</summary>
    public ProxyMesh StartProxyMesh(Microsoft.Extensions.Logging.ILogger? logger = null) =>
        ProxyMesh.Start([.. Nodes.Select(n => new MeshNode(n.Id, n.RaftPort))], (from, to) => Node(from).ProxyPortTo[to], logger);
}
