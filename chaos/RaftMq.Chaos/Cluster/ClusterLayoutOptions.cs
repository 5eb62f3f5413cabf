using RaftMq.Chaos.Checking;

namespace RaftMq.Chaos.Cluster;

/// <summary>How to start a RaftMq process: the executable and the arguments that come before the subcommand.</summary>
/// <param name="FileName">For example <c>raftmq</c>, or <c>dotnet</c> with <c>PrefixArguments = ["path/raftmq.dll"]</c>.</param>
public sealed record RaftMqCommand(string FileName, IReadOnlyList<string> PrefixArguments)
{
    public static RaftMqCommand Default { get; } = new("raftmq", []);

    /// <summary><c>raftmq namesrv -c FILE</c> or <c>raftmq broker -c FILE</c>.</summary>
    public IReadOnlyList<string> Arguments(string subcommand, string configPath) =>
        [.. PrefixArguments, subcommand, "-c", configPath];
}

/// <summary>What cluster to lay out on disk.</summary>
public sealed record ClusterLayoutOptions
{
    public required string BaseDirectory { get; init; }

    /// <summary>Group size: 3, or 5 for bridge and ring partitions.</summary>
    public int NodeCount { get; init; } = 3;

    /// <summary>Nodes laid out (ports, proxies, store) but not started: the membership nemesis adds them to the group
    /// (n{NodeCount}, ...), and a node it removed becomes a spare again (with its data).</summary>
    public int SpareNodes { get; init; }

    public string ClusterName { get; init; } = "RaftCluster";

    /// <summary>Broker name and DLedger group (RocketMQ advises they are equal).</summary>
    public string GroupName { get; init; } = "RaftNode00";

    public FlushDiskType FlushDiskType { get; init; } = FlushDiskType.SyncFlush;

    public RaftMqCommand Command { get; init; } = RaftMqCommand.Default;

    /// <summary>Extra broker.conf keys written into every node's file (e.g. small segment sizes for tests).</summary>
    public IReadOnlyDictionary<string, string> ExtraBrokerProperties { get; init; } = new Dictionary<string, string>();

    public void Validate()
    {
        if (NodeCount is not (3 or 5))
        {
            throw new ArgumentOutOfRangeException(nameof(NodeCount), NodeCount, "chaos groups have 3 or 5 nodes");
        }

        if (SpareNodes is < 0 or > 4)
        {
            throw new ArgumentOutOfRangeException(nameof(SpareNodes), SpareNodes, "0 to 4 spare nodes");
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(BaseDirectory);
        ArgumentException.ThrowIfNullOrWhiteSpace(GroupName);
        ArgumentException.ThrowIfNullOrWhiteSpace(ClusterName);
    }
}
