namespace RaftMq.Chaos.Nemesis;

/// <summary>Nemesis names, as written in fault ops and accepted on the command line.</summary>
public static class NemesisNames
{
    public const string KillLeader = "kill-leader";
    public const string KillMinority = "kill-minority";
    public const string KillMajority = "kill-majority";
    public const string PauseLeader = "pause-leader";
    public const string PauseFollower = "pause-follower";
    public const string PartitionLeader = "partition-leader";
    public const string PartitionHalves = "partition-halves";
    public const string Bridge = "bridge";
    public const string Ring = "ring";
    public const string RestartAllStaleFirst = "restart-all-stale-first";
    public const string PowerLoss = "power-loss";
    public const string TransferLeader = "transfer-leader";
    public const string RollingRestart = "rolling-restart";

    /// <summary>Add/remove/replace members during a kill or a partition; applies only with spare nodes (run --spares).</summary>
    public const string Membership = "membership";

    /// <summary>Opt-in (not in <see cref="All"/>): hostile clients against every port; see Hostile/HostileTraffic.</summary>
    public const string HostileTraffic = "hostile-traffic";

    /// <summary>Opt-in: a window in which nothing is done, the control run for a measurement (e.g. memory over time).</summary>
    public const string Idle = "idle";

    public static IReadOnlyList<string> All { get; } =
    [
        KillLeader, KillMinority, KillMajority, PauseLeader, PauseFollower, PartitionLeader,
        PartitionHalves, Bridge, Ring, RestartAllStaleFirst, PowerLoss, TransferLeader, RollingRestart, Membership,
    ];

    /// <summary>Every name accepted by --nemeses: the default set and the opt-in ones.</summary>
    public static IReadOnlyList<string> Known { get; } = [.. All, HostileTraffic, Idle];
}
