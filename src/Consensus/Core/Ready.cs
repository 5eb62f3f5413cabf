namespace RaftMq.Consensus.Core;

/// <summary>
/// What the core asks its runtime to do, in this order:
/// 1. persist <see cref="HardState"/> (when not null) and <see cref="Entries"/> (truncating any conflicting
///    suffix first: the first entry's index may be &lt;= the durable last index) and, when not null, reset the
///    log to <see cref="Snapshot"/> and hand it to the state machine;
/// 2. only then send <see cref="Messages"/> (persist before send: a vote or an acknowledgement must never
///    be sent for state that a crash could forget);
/// 3. apply <see cref="CommittedEntries"/> to the state machine in order;
/// 4. call <see cref="RaftCore.Advance"/> with this Ready.
/// </summary>
public sealed record Ready
{
    public HardState? HardState { get; init; }
    public IReadOnlyList<LogEntry> Entries { get; init; } = Array.Empty<LogEntry>();
    public Snapshot? Snapshot { get; init; }
    public IReadOnlyList<Message> Messages { get; init; } = Array.Empty<Message>();
    public IReadOnlyList<LogEntry> CommittedEntries { get; init; } = Array.Empty<LogEntry>();

    /// <summary>True when the durable write for this Ready must be fsynced before messages go out.</summary>
    public bool MustSync => HardState is not null || Entries.Count > 0 || Snapshot is not null;
}

public enum RaftRole : byte { Follower, PreCandidate, Candidate, Leader }

/// <summary>A snapshot of the core's soft state, for role-change events and status pages.</summary>
public readonly record struct SoftState(RaftRole Role, long Term, string? LeaderId);

/// <summary>Why a proposal was not accepted.</summary>
internal enum ProposeResult : byte
{
    Accepted,
    NotLeader,

    /// <summary>A leadership transfer is in progress; retry after it ends.</summary>
    Transferring,

    /// <summary>Too many uncommitted bytes are in flight (explicit back-pressure).</summary>
    Busy,
}
