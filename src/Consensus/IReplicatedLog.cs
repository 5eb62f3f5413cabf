using RaftMq.Consensus.Core;

namespace RaftMq.Consensus;

/// <summary>
/// The state machine a node applies committed entries to (the broker's message store). All calls come from
/// the node's single apply thread, in log order.
/// </summary>
public interface IStateMachine
{
    /// <summary>Index of the last entry whose effects are durable in the state machine's own files. On start the
    /// node re-applies committed entries after it (derived state is rebuilt from the log).</summary>
    long AppliedIndex { get; }

    /// <summary>Term of the entry at <see cref="AppliedIndex"/> (0 when nothing was applied). Index and term name one
    /// entry, so on start the node can tell whether its log still holds what the state machine applied.</summary>
    long AppliedTerm { get; }

    /// <summary>Durably forgets all derived state (<see cref="AppliedIndex"/> and <see cref="AppliedTerm"/> become 0).
    /// Called on start when the log no longer holds the entry at AppliedIndex (ASYNC_FLUSH power loss cut unsynced
    /// entries the state machine had applied), so the state is derived again from what the log holds.</summary>
    void Reset();

    /// <summary>Applies one committed entry (Normal or Noop). Returns an application result that is handed back
    /// to the proposer in <see cref="AppendOutcome.Result"/> (the broker returns the first queue offset it assigned).
    /// Must be deterministic: every replica applies the same entries and must reach the same state.</summary>
    long Apply(LogEntry entry);

    /// <summary>Serialises the state machine's metadata (not message bodies) as of <see cref="AppliedIndex"/>.</summary>
    ReadOnlyMemory<byte> TakeSnapshot();

    /// <summary>Replaces the state machine's metadata with a snapshot received from the leader.</summary>
    void RestoreSnapshot(Snapshot snapshot);
}

public enum AppendStatus : byte
{
    /// <summary>Committed on a majority and applied locally.</summary>
    Committed,

    /// <summary>This node is not the leader; nothing was appended. <see cref="AppendOutcome.LeaderId"/> may name the leader.</summary>
    NotLeader,

    /// <summary>Refused before appending (too many uncommitted bytes, or a leadership transfer in progress). Safe to retry.</summary>
    Busy,

    /// <summary>Appended but the outcome is unknown: the wait timed out, or leadership changed before the entry was
    /// known committed. The entry may or may not commit later; the caller must not report success or failure.</summary>
    Unknown,
}

/// <summary>Result of <see cref="IReplicatedLog.AppendAsync"/>. Index/Pos are those of the first appended entry.</summary>
public readonly record struct AppendOutcome(AppendStatus Status, long Index, long Pos, long Result, string? LeaderId);

/// <summary>
/// What the broker sees of its consensus node: append, role, and reads of committed bytes by global position.
/// </summary>
public interface IReplicatedLog
{
    string SelfId { get; }

    SoftState State { get; }

    /// <summary>Raised (on a thread-pool thread, never the node loop) after every role or leader change.</summary>
    event Action<SoftState>? StateChanged;

    /// <summary>Appends each payload as one entry (a batch keeps its order and is contiguous in the log) and completes
    /// once all are committed and applied, or with NotLeader / Busy / Unknown.</summary>
    ValueTask<AppendOutcome> AppendAsync(IReadOnlyList<ReadOnlyMemory<byte>> payloads, TimeSpan timeout, CancellationToken cancellationToken = default);

    /// <summary>Copies committed log bytes starting at global position <paramref name="pos"/> into
    /// <paramref name="destination"/> (its whole length). False when the range is not (or no longer) in the log
    /// or not committed.</summary>
    bool TryReadCommitted(long pos, Span<byte> destination);

    /// <summary>Pos of the first entry still retained on this node.</summary>
    long FirstRetainedPos { get; }

    /// <summary>Asks the leader to hand over to <paramref name="targetId"/>. False when this node is not leader.</summary>
    bool TransferLeadership(string targetId);

    /// <summary>This member's view of its group (role, term, indexes, per-peer match and contact) for status
    /// commands; null when the log cannot tell.</summary>
    Runtime.RaftMemberStatus? GetStatus() => null;

    /// <summary>Proposes a configuration change (on the leader) and waits up to <paramref name="timeout"/> for it to
    /// commit; null when this log has no replicated configuration.</summary>
    Task<Runtime.MembershipChangeOutcome>? ChangeMembershipAsync(Runtime.MembershipRequest request, TimeSpan timeout, CancellationToken ct = default) => null;

    /// <summary>Classic master/slave: dials member <paramref name="id"/> at <paramref name="endpoint"/> while the
    /// configuration has no address for it (a slave learning its master's). Null when this log has no peers to dial.</summary>
    Task? UsePeerAddressAsync(string id, string endpoint) => null;

    /// <summary>Classic SYNC_MASTER: waits until a learner (slave) holds every entry committed now; a log without
    /// learners has none available.</summary>
    ValueTask<Runtime.LearnerAckResult> WaitForLearnersAsync(TimeSpan timeout, long maxLagBytes, CancellationToken ct = default) =>
        ValueTask.FromResult(Runtime.LearnerAckResult.NoneAvailable);
}
