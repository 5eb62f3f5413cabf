using RaftMq.Chaos.Checking;
using RaftMq.Chaos.Cluster;
using RaftMq.Chaos.Tests.Support;

namespace RaftMq.Chaos.Tests.Cluster;

public sealed class ClusterLayoutTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>Ports 20000, 20001, ... in order, so the generated files are predictable.</summary>
    private sealed class SequentialPorts : IPortAllocator
    {
        public IReadOnlyList<int> Allocate(int count) => [.. Enumerable.Range(20000, count)];
    }

    private static Dictionary<string, string> ReadProperties(string path) =>
        File.ReadAllLines(path)
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split('=', 2))
            .ToDictionary(kv => kv[0], kv => kv[1]);

    [Fact]
    public void Three_node_layout_writes_namesrv_and_broker_configs_with_real_peers_and_proxy_overrides()
    {
        var layout = ClusterLayoutWriter.Write(
            new ClusterLayoutOptions { BaseDirectory = _dir.Path, FlushDiskType = FlushDiskType.AsyncFlush }, new SequentialPorts());

        Assert.Equal("20000", ReadProperties(_dir.File("namesrv.conf"))["listenPort"]);
        var n1 = layout.Node("n1");
        var conf = ReadProperties(n1.ConfigPath);
        Assert.Equal("RaftCluster", conf["brokerClusterName"]);
        Assert.Equal("127.0.0.1", conf["brokerIP1"]);
        Assert.Equal("127.0.0.1", conf["bindAddress"]);
        Assert.Equal("127.0.0.1", ReadProperties(_dir.File("namesrv.conf"))["bindAddress"]);
        Assert.Equal("RaftNode00", conf["brokerName"]);
        Assert.Equal(conf["brokerName"], conf["dLegerGroup"]);
        Assert.Equal("true", conf["enableDLegerCommitLog"]);
        Assert.Equal("n1", conf["dLegerSelfId"]);
        Assert.Equal("ASYNC_FLUSH", conf["flushDiskType"]);
        Assert.Equal("127.0.0.1:20000", conf["namesrvAddr"]);
        Assert.Equal(n1.ListenPort.ToString(), conf["listenPort"]);
        Assert.Equal(n1.StoreDirectory, conf["storePathRootDir"]);
        Assert.True(Directory.Exists(n1.StoreDirectory));
        Assert.Equal(layout.DLedgerPeers, conf["dLegerPeers"]);
        Assert.Equal(
            $"n0-127.0.0.1:{n1.ProxyPortTo["n0"]};n2-127.0.0.1:{n1.ProxyPortTo["n2"]}",
            conf["raftPeerDialOverrides"]);
    }

    [Fact]
    public void Spare_nodes_are_laid_out_outside_the_group_and_join_with_the_members_and_themselves_in_dLegerPeers()
    {
        var layout = ClusterLayoutWriter.Write(
            new ClusterLayoutOptions { BaseDirectory = _dir.Path, SpareNodes = 2 }, new SequentialPorts());

        Assert.Equal(["n0", "n1", "n2"], layout.InitialMembers);
        Assert.Equal(["n0", "n1", "n2", "n3", "n4"], layout.Nodes.Select(n => n.Id));
        Assert.Equal(layout.DLedgerPeers, ReadProperties(layout.Node("n0").ConfigPath)["dLegerPeers"]);
        Assert.Equal(layout.PeersText(["n0", "n1", "n2", "n4"]), ReadProperties(layout.Node("n4").ConfigPath)["dLegerPeers"]);
        // every node dials every other one, spares included, through its proxy
        Assert.Equal(4, ReadProperties(layout.Node("n0").ConfigPath)["raftPeerDialOverrides"].Split(';').Length);

        ClusterLayoutWriter.WriteBrokerConf(layout, layout.Node("n3"), ["n0", "n2", "n4", "n3"]);
        Assert.Equal(layout.PeersText(["n0", "n2", "n4", "n3"]), ReadProperties(layout.Node("n3").ConfigPath)["dLegerPeers"]);
    }

    [Fact]
    public void Every_port_of_a_five_node_layout_is_distinct()
    {
        var layout = ClusterLayoutWriter.Write(
            new ClusterLayoutOptions { BaseDirectory = _dir.Path, NodeCount = 5 }, new LoopbackPortAllocator());

        var ports = new List<int> { layout.NameServerPort };
        foreach (var node in layout.Nodes)
        {
            ports.AddRange([node.ListenPort, node.RaftPort, .. node.ProxyPortTo.Values]);
        }

        Assert.Equal(1 + 5 * 2 + 5 * 4, ports.Count);
        Assert.Equal(ports.Count, ports.Distinct().Count());
        Assert.Equal(["n0", "n1", "n2", "n3", "n4"], layout.Nodes.Select(n => n.Id));
        Assert.Equal(5, layout.DLedgerPeers.Split(';').Length);
    }

    [Fact]
    public void Process_specs_use_the_configured_command_line()
    {
        var layout = ClusterLayoutWriter.Write(
            new ClusterLayoutOptions { BaseDirectory = _dir.Path, Command = new RaftMqCommand("dotnet", ["/opt/raftmq/raftmq.dll"]) },
            new SequentialPorts());

        var broker = layout.BrokerProcess("n2");
        var namesrv = layout.NameServerProcess();

        Assert.Equal("dotnet", broker.FileName);
        Assert.Equal(["/opt/raftmq/raftmq.dll", "broker", "-c", layout.Node("n2").ConfigPath], broker.Arguments);
        Assert.Equal(["/opt/raftmq/raftmq.dll", "namesrv", "-c", layout.NameServerConfigPath], namesrv.Arguments);
        Assert.Equal("broker-n2", broker.Name);
        Assert.Equal(layout.LogDirectory, broker.LogDirectory);
    }

    [Fact]
    public async Task Proxy_mesh_listens_on_the_ports_the_configs_name()
    {
        var layout = ClusterLayoutWriter.Write(new ClusterLayoutOptions { BaseDirectory = _dir.Path }, new LoopbackPortAllocator());

        await using var mesh = layout.StartProxyMesh();

        Assert.Equal(layout.DialOverrides("n0"), mesh.DialOverrides("n0"));
        Assert.Equal(layout.Node("n1").RaftPort, mesh.Proxy("n0", "n1").TargetPort);
    }

    [Fact]
    public void Group_size_other_than_three_or_five_is_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            ClusterLayoutWriter.Write(new ClusterLayoutOptions { BaseDirectory = _dir.Path, NodeCount = 4 }, new SequentialPorts()));
    }
}
