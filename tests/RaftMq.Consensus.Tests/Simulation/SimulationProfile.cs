using RaftMq.Consensus.Core;

namespace RaftMq.Consensus.Tests.Simulation;

/// <summary>Shape of one simulated run. Time unit: a step = 1/StepsPerTick of a tick; a tick = 100 ms virtual.</summary>
public sealed record SimulationProfile
{
    /// <summary>0 = choose the group size from the seed (1 to 5, mostly 3 and 5).</summary>
    public int Nodes { get; init; }
    public int FaultSeconds { get; init; } = 200;
    public int TicksPerSecond { get; init; } = 10;
    public int StepsPerTick { get; init; } = 10;
    public int ElectionTicks { get; init; } = 10;
    public int HeartbeatTicks { get; init; } = 1;

    /// <summary>Average virtual seconds between two fault events.</summary>
    public double MeanFaultIntervalSeconds { get; init; } = 6;

    /// <summary>Average client proposal batches per tick (each batch 1-3 payloads).</summary>
    public double ProposalsPerTick { get; init; } = 0.3;

    /// <summary>After all faults heal: a leader must commit a new proposal and all nodes catch up within this bound.</summary>
    public int LivenessBoundSeconds { get; init; } = 60;

    /// <summary>Nodes occasionally snapshot and drop old entries, so lagging followers need InstallSnapshot.</summary>
    public bool Compaction { get; init; } = true;

    /// <summary>Per-seed choices for the Append window and message size limits (small values exercise pipelining).</summary>
    public IReadOnlyList<int> MaxInflightChoices { get; init; } = new[] { 1, 4, 16 };
    public IReadOnlyList<int> MaxAppendBytesChoices { get; init; } = new[] { 64, 512, 4096 };

    /// <summary>Fault mix dominated by leader crashes and quick reboots (used to hunt planted bugs).</summary>
    public bool LeaderChurn { get; init; }

    /// <summary>Fault mix of the disk: fsync failures, latent read errors, a full disk, crashes mid-write.</summary>
    public bool DiskChurn { get; init; }

    /// <summary>Fault mix of follower wipes (also while logs differ) with leader crashes.</summary>
    public bool WipeChurn { get; init; }

    /// <summary>Fault mix of leadership transfers on a lossless network, to measure disruption.</summary>
    public bool TransferChurn { get; init; }

    /// <summary>A transfer in a calm group must not leave it leaderless for longer than this many ticks.</summary>
    public int StabilityBoundTicks { get; init; } = 8;

    internal PlantedBugs Bugs { get; init; }

    /// <summary>
    /// Short, fault-dense runs for hunting planted bugs: leader crashes and quick reboots pile up terms, and
    /// one-entry Append messages with a window of one keep an old-term entry from travelling together with the
    /// new leader's NOOP (which would otherwise mask a Figure 8 commit bug).
    /// </summary>
    public static SimulationProfile BugHunting => new()
    {
        FaultSeconds = 30,
        MeanFaultIntervalSeconds = 1,
        LeaderChurn = true,
        ProposalsPerTick = 1,
        MaxInflightChoices = new[] { 1 },
        MaxAppendBytesChoices = new[] { 1 },
    };

    /// <summary>Hunting crashes that lose or tear unsynced writes, and disk faults: short runs, many crashes mid-write.</summary>
    public static SimulationProfile DiskHunting => new()
    {
        FaultSeconds = 40,
        MeanFaultIntervalSeconds = 1,
        DiskChurn = true,
        ProposalsPerTick = 1,
    };

    /// <summary>Hunting the lost-log guard: wipes while the logs differ, under a steady proposal load.</summary>
    public static SimulationProfile WipeHunting => new()
    {
        Nodes = 3,
        FaultSeconds = 40,
        MeanFaultIntervalSeconds = 1.5,
        WipeChurn = true,
        ProposalsPerTick = 2,
        MaxInflightChoices = new[] { 4, 16 },
    };

    /// <summary>Hunting disruptive leadership transfers: transfers under load on a lossless network.</summary>
    public static SimulationProfile TransferHunting => new()
    {
        FaultSeconds = 40,
        MeanFaultIntervalSeconds = 2,
        TransferChurn = true,
        ProposalsPerTick = 2,
    };

    public long StepsPerSecond => (long)TicksPerSecond * StepsPerTick;
}

/// <summary>Outcome of one run: null violation means every checker passed.</summary>
public sealed record SimulationResult(int Seed, string? Violation, double VirtualSeconds, int Leaders, int Applied, long Messages)
{
    public int Nodes { get; init; }

    /// <summary>Nodes that halted (and were restarted) after an injected disk fault.</summary>
    public int Halts { get; init; }

    public int DiskFaults { get; init; }

    public int TransfersWatched { get; init; }

    public bool Passed => Violation is null;
}

/// <summary>A checker found a broken safety or liveness property.</summary>
public sealed class SimulationViolationException(string message) : Exception(message);

/// <summary>Deterministic randomness for one core, from the run's seeded generator.</summary>
internal sealed class SeededRandomSource(int seed) : IRandomSource
{
    private readonly Random _random = new(seed);

    public int Next(int maxExclusive) => _random.Next(maxExclusive);
}
