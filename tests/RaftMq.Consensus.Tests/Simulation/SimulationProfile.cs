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

    /// <summary>The in-flight byte window to one follower, in maximum Appends (production: 8 MB of 1 MB Appends).</summary>
    public int InflightAppendBytes { get; init; } = 4;

    /// <summary>Fault mix dominated by leader crashes and quick reboots (used to hunt planted bugs).</summary>
    public bool LeaderChurn { get; init; }

    /// <summary>Fault mix of the broker hunt: reboots and crashes (often mid-write) and wipes of whole data directories.</summary>
    public bool BrokerChurn { get; init; }

    /// <summary>Fault mix of the disk: fsync failures, latent read errors, a full disk, crashes mid-write.</summary>
    public bool DiskChurn { get; init; }

    /// <summary>Fault mix of follower wipes (also while logs differ) with leader crashes.</summary>
    public bool WipeChurn { get; init; }

    /// <summary>Fault mix of leadership transfers on a lossless network, to measure disruption.</summary>
    public bool TransferChurn { get; init; }

    /// <summary>Fault mix of slow peers: one node's links (and often its process) stall for seconds, the buffers towards
    /// it fill, and everything held is delivered in a burst when it recovers.</summary>
    public bool SlowPeerChurn { get; init; }

    /// <summary>Virtual CPU cost of a round: one step per this many entry bytes the node reads and sends (0 = free).
    /// With it, a leader that reads and encodes a large backlog in one round stalls its loop as a real one does.</summary>
    public long CpuBytesPerStep { get; init; }

    /// <summary>Client payloads are 8 + [0, this] bytes.</summary>
    public int PayloadExtraBytes { get; init; } = 32;

    /// <summary>
    /// Checks leadership stability: a leader must not lose its leadership while it and a majority of the group have
    /// been healthy and connected for the last two election timeouts (only profiles without transfers and network
    /// faults, where every leader change has a cause the checker can see).
    /// </summary>
    public bool CheckLeadershipStability { get; init; }

    /// <summary>Peer-link buffers of a slow peer hold at most this many messages (the transport's queue plus the kernel's).</summary>
    public int SlowLinkMaxMessages { get; init; } = 4096;

    /// <summary>... and at most this many entry bytes; further messages are dropped (TrySend returns false).</summary>
    public long SlowLinkMaxBytes { get; init; } = 256 * 1024;

    /// <summary>A transfer in a calm group must not leave it leaderless for longer than this many ticks.</summary>
    public int StabilityBoundTicks { get; init; } = 8;

    internal PlantedBugs Bugs { get; init; }

    /// <summary>Every node applies to the broker's real state machine (ConsumeQueues, key index, consumer offsets,
    /// checkpoint and recovery); clients propose stored messages and offset commits; the consume-queue checker compares
    /// the replicas.</summary>
    public bool BrokerStateMachine { get; init; }

    /// <summary>Planted bugs in the broker's state machine (with <see cref="BrokerStateMachine"/>).</summary>
    internal RaftMq.Broker.Store.StorePlantedBugs StoreBugs { get; init; }

    /// <summary>Spare nodes join the pool and the leader changes the configuration as one of the faults.</summary>
    public bool MembershipChurn { get; init; }

    /// <summary>With <see cref="MembershipChurn"/>: the share of fault events that are configuration changes.</summary>
    public int MembershipChangePercent { get; init; } = 40;

    /// <summary>
    /// Configuration changes among the usual faults: groups of 1-5 with up to three spares, 30 s runs with a fault or
    /// change every 1.2 s on average (adds of learners, promotions, removals of voters, learners and leaders, and
    /// replacements), interleaved with partitions, crashes, reboots, pauses, disk faults, wipes and compaction.
    /// </summary>
    public static SimulationProfile MembershipHunting => new()
    {
        FaultSeconds = 30,
        MeanFaultIntervalSeconds = 1.2,
        MembershipChurn = true,
        ProposalsPerTick = 1,
    };

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

    /// <summary>
    /// The broker's state machine on every node, its files on the node's simulated disk: reboots and crashes (often in
    /// the middle of a round's disk work) lose and tear unsynced ConsumeQueue writes and unflushed key-index pages, wipes
    /// delete a whole data directory (log and broker files); each restart recovers the broker from its checkpoint and
    /// replays the log after it. Nodes checkpoint at random moments; three topics, consumer offsets and subscription groups.
    /// </summary>
    public static SimulationProfile BrokerHunting => new()
    {
        BrokerStateMachine = true,
        FaultSeconds = 30,
        MeanFaultIntervalSeconds = 1,
        BrokerChurn = true,
        ProposalsPerTick = 1,
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

    /// <summary>
    /// Hunting head-of-line blocking behind a slow or frozen peer, at production flow-control limits scaled by 1/256
    /// (an Append of at most 4 KB stands for 1 MB, the window of 256 Appends for 256 MB): a steady load of larger
    /// payloads builds a backlog for the slow peer, and a round costs virtual CPU time for the bytes it reads and
    /// sends (8 KB per 10 ms step, i.e. 1 MB of backlog read and encoded in 5 ms). Leadership stability is checked.
    /// </summary>
    public static SimulationProfile SlowPeerHunting => new()
    {
        Nodes = 3,
        FaultSeconds = 60,
        MeanFaultIntervalSeconds = 12,
        SlowPeerChurn = true,
        Compaction = false,
        ProposalsPerTick = 8,
        PayloadExtraBytes = 600,
        CpuBytesPerStep = 8 * 1024,
        CheckLeadershipStability = true,
        InflightAppendBytes = 8,
        MaxInflightChoices = new[] { 256 },
        MaxAppendBytesChoices = new[] { 4096 },
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

    /// <summary>Leader changes the leadership-stability checker excused (the group was not healthy enough).</summary>
    public int ExcusedLeaderChanges { get; init; }

    /// <summary>Configuration changes the leader accepted.</summary>
    public int MembershipChanges { get; init; }

    /// <summary>With the broker's state machine: ConsumeQueue units the consume-queue checker compared, and broker
    /// recoveries from a checkpoint that had applied something.</summary>
    public int BrokerUnitsChecked { get; init; }

    public int BrokerRecoveries { get; init; }

    /// <summary>Drops of the topic's queues (cleanUnusedTopic entries) the consume-queue checker saw applied.</summary>
    public int BrokerQueueDrops { get; init; }

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
