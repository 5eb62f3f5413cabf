namespace RaftMq.Cli.Quickstart;

/// <summary>What <c>raftmq quickstart</c> runs: the conf folder of the group, how many leader kills, and the load.</summary>
/// <param name="Phase">How long traffic runs between two events (start, kill, restart).</param>
/// <param name="DashboardPort">When set, the web console runs on this loopback port beside the cluster, which then stays up after the report.</param>
/// <param name="Secure">Plain ACL and TLS (enforcing) on every process, from a generated conf folder (<see cref="QuickstartSecurity"/>).</param>
/// <param name="KeepRunning">The cluster stays up after the report until Ctrl-C (also with a dashboard).</param>
public sealed record QuickstartSettings(
    string ConfDirectory,
    string LogDirectory,
    string WorkingDirectory,
    int Kills,
    string Topic,
    int Queues,
    int MessageBytes,
    int Producers,
    int RatePerSecond,
    TimeSpan Phase,
    int? DashboardPort = null,
    bool Secure = false,
    bool KeepRunning = false);
