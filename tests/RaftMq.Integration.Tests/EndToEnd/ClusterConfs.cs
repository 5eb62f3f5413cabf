using System.Globalization;
using RaftMq.Protocol.Remoting;

namespace RaftMq.Integration.Tests.EndToEnd;

/// <summary>Writes a conf folder like conf/dledger (namesrv.conf, broker-n0..2.conf) with free loopback ports and
/// store folders under a test's own root; with <c>metrics</c>, every process also serves Prometheus metrics.</summary>
internal static class ClusterConfs
{
    public static string Write(string root, int nodes = 3, IReadOnlyDictionary<string, string>? extraBrokerKeys = null, bool metrics = false)
    {
        string conf = Path.Combine(root, "conf");
        Directory.CreateDirectory(conf);
        var ports = LoopbackPorts.Allocate(1 + (2 * nodes) + (metrics ? 1 + nodes : 0));
        int nameServerPort = ports[0];
        var listenPorts = ports.Skip(1).Take(nodes).ToArray();
        var raftPorts = ports.Skip(1 + nodes).Take(nodes).ToArray();
        var metricsPorts = ports.Skip(1 + (2 * nodes)).ToArray();
        string peers = string.Join(';', Enumerable.Range(0, nodes).Select(i => Invariant($"n{i}-127.0.0.1:{raftPorts[i]}")));
        string nameServerMetrics = metrics ? Invariant($"metricsPort={metricsPorts[0]}\n") : "";
        File.WriteAllText(Path.Combine(conf, "namesrv.conf"), Invariant($"listenPort={nameServerPort}\nbindAddress=127.0.0.1\n{nameServerMetrics}"));
        for (int i = 0; i < nodes; i++)
        {
            var lines = BrokerLines("E2ECluster", "E2EGroup", $"n{i}", listenPorts[i], nameServerPort, peers, Path.Combine(root, "store", $"node{i}"));
            if (metrics) lines.Add(Invariant($"metricsPort={metricsPorts[1 + i]}"));
            foreach (var (key, value) in extraBrokerKeys ?? new Dictionary<string, string>()) lines.Add($"{key}={value}");
            File.WriteAllLines(Path.Combine(conf, $"broker-n{i}.conf"), lines);
        }
        return conf;
    }

    /// <summary>The broker.conf lines of one node of a group on loopback (SYNC_FLUSH, DLedger on).</summary>
    public static List<string> BrokerLines(string cluster, string group, string selfId, int listenPort, int nameServerPort, string peers, string store) =>
    [
        $"brokerClusterName={cluster}",
        $"brokerName={group}",
        "brokerIP1=127.0.0.1",
        "bindAddress=127.0.0.1",
        Invariant($"listenPort={listenPort}"),
        Invariant($"namesrvAddr=127.0.0.1:{nameServerPort}"),
        $"storePathRootDir={store}",
        "enableDLegerCommitLog=true",
        $"dLegerGroup={group}",
        $"dLegerPeers={peers}",
        $"dLegerSelfId={selfId}",
        "sendMessageThreadPoolNums=4",
        "flushDiskType=SYNC_FLUSH",
    ];

    /// <summary>A port that was free a moment ago (<see cref="LoopbackPorts"/>).</summary>
    public static int FreePort() => LoopbackPorts.Allocate(1)[0];

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
