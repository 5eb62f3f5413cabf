using System.Globalization;
using RaftMq.Cli.CommandLine;
using RaftMq.Consensus.Configuration;
using RaftMq.Foundation.Configuration;
using RaftMq.NameServer.Configuration;

namespace RaftMq.Cli.LocalCluster;

/// <summary>One broker node of a local group, as its broker.conf describes it.</summary>
/// <param name="Index">Position among the conf files (0-based).</param>
/// <param name="RaftPort">This node's port in <c>dLegerPeers</c>.</param>
/// <param name="StoreDirectories">Folders the node writes (<c>storePathRootDir</c>, and <c>storePathDLedgerCommitLog</c> when set).</param>
/// <param name="MetricsPort">The node's Prometheus port (<c>metricsPort</c>); 0 when it serves none.</param>
public sealed record BrokerNodeLayout(
    int Index, string SelfId, string ConfPath, string ClusterName, string BrokerName, int ListenPort, int RaftPort,
    IReadOnlyList<string> StoreDirectories, int MetricsPort = 0)
{
    public string ProcessName => $"broker-{SelfId}";

    public string Address => string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{ListenPort}");
}

/// <summary>
/// A name server and one broker group on this machine, read from a conf folder laid out like
/// <c>conf/dledger</c>: <c>namesrv.conf</c> and <c>broker-*.conf</c>. Ports and store folders come from the files.
/// </summary>
/// <param name="NameServerMetricsPort">The name server's Prometheus port (<c>metricsPort</c>); 0 when it serves none.</param>
public sealed record ClusterLayout(string ConfDirectory, string NameServerConfPath, int NameServerPort, IReadOnlyList<BrokerNodeLayout> Brokers,
    int NameServerMetricsPort = 0)
{
    private const string ListenPortKey = "listenPort";
    private const string MetricsPortKey = "metricsPort";
    private const string BrokerNameKey = "brokerName";
    private const string ClusterNameKey = "brokerClusterName";

    public string NameServerAddress => string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{NameServerPort}");

    public string ClusterName => Brokers[0].ClusterName;

    public string BrokerName => Brokers[0].BrokerName;

    public BrokerNodeLayout? FindByAddress(string address) =>
        Brokers.FirstOrDefault(broker => PortOf(address) == broker.ListenPort);

    public static ClusterLayout Load(string confDirectory)
    {
        string directory = Path.GetFullPath(confDirectory);
        if (!Directory.Exists(directory)) throw new CliConfigException($"{directory}: no such conf folder");
        string nameServerConf = Path.Combine(directory, "namesrv.conf");
        if (!File.Exists(nameServerConf)) throw new CliConfigException($"{nameServerConf}: missing (the name server's conf file)");
        var nameServer = NameServerOptions.FromProperties(PropertiesFile.Load(nameServerConf));

        string[] brokerConfs = Directory.GetFiles(directory, "broker-*.conf").Order(StringComparer.Ordinal).ToArray();
        if (brokerConfs.Length == 0) throw new CliConfigException($"{directory}: no broker-*.conf files");
        var brokers = brokerConfs.Select((path, index) => ReadBroker(path, index)).ToList();
        foreach (var broker in brokers.Skip(1))
        {
            if (broker.BrokerName != brokers[0].BrokerName)
                throw new CliConfigException($"{broker.ConfPath}: {BrokerNameKey}={broker.BrokerName}: every conf in {directory} must describe the group {brokers[0].BrokerName}");
        }
        return new ClusterLayout(directory, nameServerConf, nameServer.ListenPort, brokers, nameServer.MetricsPort);
    }

    private static BrokerNodeLayout ReadBroker(string path, int index)
    {
        var file = PropertiesFile.Load(path);
        var consensus = ConsensusOptions.FromProperties(file);
        int listenPort = file.GetInt32(ListenPortKey, 10911, 1, 65535);
        string brokerName = file.GetRequiredString(BrokerNameKey);
        string clusterName = file.GetString(ClusterNameKey, "DefaultCluster");
        var self = consensus.Peers.Find(consensus.SelfId)!;
        var stores = new List<string> { consensus.StorePathRootDir };
        if (consensus.DataStorePathOverride is { } data) stores.Add(data);
        int metricsPort = file.GetInt32(MetricsPortKey, 0, 0, 65535);
        return new BrokerNodeLayout(index, consensus.SelfId, path, clusterName, brokerName, listenPort, self.Port, stores, metricsPort);
    }

    private static int PortOf(string address)
    {
        int colon = address.LastIndexOf(':');
        return colon >= 0 && int.TryParse(address.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port) ? port : -1;
    }
}
