using RaftMq.Consensus.Core;

namespace RaftMq.Consensus.Tests.Simulation;

/// <summary>
/// One simulated group member. The durable log and hard state survive crashes; the core (with its unstable
/// tail), an in-flight Ready (a disk write not yet finished) and the in-memory state machine do not.
/// </summary>
internal sealed class SimNode(int index, string id)
{
    public int Index { get; } = index;
    public string Id { get; } = id;
    public MemoryRaftLog Log { get; } = new();
    public HardState HardState { get; set; } = HardState.Empty;

    /// <summary>Null while crashed.</summary>
    public RaftCore? Core { get; set; }

    /// <summary>Bumped on every crash so that events of the previous incarnation are ignored.</summary>
    public int Generation { get; set; }

    public bool Paused { get; set; }

    /// <summary>A Ready is being written (persist -> send -> apply -> Advance happens when the write completes).</summary>
    public bool DiskBusy { get; set; }

    /// <summary>Upper bound of a disk write's latency in steps (0 = instant); raised by the slow-disk fault.</summary>
    public int MaxDiskLatency { get; set; } = 3;

    /// <summary>Events that reached the node while it was paused (SIGSTOP: the kernel buffers them).</summary>
    public List<SimEvent> Held { get; } = new();

    /// <summary>State machine: last applied index and rolling hash of everything applied.</summary>
    public long AppliedIndex { get; set; }
    public ulong AppliedHash { get; set; }

    /// <summary>Rolling hash at each applied index still in the log (to build snapshots at any retained index).</summary>
    public Dictionary<long, ulong> HashAt { get; } = new();

    /// <summary>Term in which this node was last seen leader (to detect new elections).</summary>
    public long LastLeaderTermSeen { get; set; } = -1;

    /// <summary>Last soft state written to the trace.</summary>
    public SoftState LastTracedState { get; set; }

    public bool Alive => Core is not null;

    public bool Running => Core is not null && !Paused;
}

internal enum SimEventKind : byte { Deliver, Tick, DiskDone, Fault, Propose, Probe, Check, WipeCheck }

/// <summary>One scheduled thing in virtual time.</summary>
internal readonly record struct SimEvent(SimEventKind Kind, int Node, int Generation, Message? Message, Ready? Ready, FaultEvent? Fault);
