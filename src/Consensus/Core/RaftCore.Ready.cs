namespace RaftMq.Consensus.Core;

/// <summary>The Ready/Advance hand-off with the runtime (see <see cref="Ready"/> for the order of work).</summary>
internal sealed partial class RaftCore
{
    private long _persistedTerm;
    private string? _persistedVote;

    /// <summary>Index of the last entry handed to the runtime to apply (or restored from a snapshot).</summary>
    private long _applied;

    private bool _readyOutstanding;

    /// <summary>True when <see cref="GetReady"/> has work and no earlier Ready awaits <see cref="Advance"/>.</summary>
    public bool HasReady =>
        !_readyOutstanding
        && (HardStateChanged || _unstable.Count > 0 || _pendingSnapshot is not null || _outbox.Count > 0 || ApplyUpTo > _applied);

    /// <summary>
    /// Collects what the runtime must persist, send and apply. Must be followed by <see cref="Advance"/> with the
    /// same Ready before the next call. Steps and ticks may still be fed in between.
    /// </summary>
    /// <remarks>
    /// HardState is emitted when the term or vote changed (its Commit is a lazily persisted hint). A Ready that
    /// carries a Snapshot carries no Entries. After a restart the core hands out committed entries from the
    /// <c>applied</c> index given to the constructor (clamped to the recovered commit index, a lazily persisted
    /// hint, so a few the state machine already holds may come again: the runtime still skips those).
    /// </remarks>
    public Ready GetReady()
    {
        if (_readyOutstanding) throw new InvalidOperationException("GetReady called before the previous Ready was advanced");
        _readyOutstanding = true;
        HardState? hardState = null;
        if (HardStateChanged)
        {
            // Only term and vote force a write; the commit index rides along as a restart hint.
            string? vote = (_bugs & PlantedBugs.ForgetToPersistVote) != 0 ? null : _votedFor;
            hardState = new HardState(_term, vote, _commit);
        }
        IReadOnlyList<LogEntry> committed = Array.Empty<LogEntry>();
        long applyUpTo = ApplyUpTo;
        if (applyUpTo > _applied)
        {
            committed = (_bugs & PlantedBugs.ApplyBeforePersist) != 0
                ? EntriesBetween(_applied + 1, applyUpTo, _options.MaxAppendBytes)
                : _log.Entries(_applied + 1, applyUpTo, _options.MaxAppendBytes);
        }
        Message[] messages = _outbox.Count == 0 ? Array.Empty<Message>() : _outbox.ToArray();
        _outbox.Clear();
        return new Ready
        {
            HardState = hardState,
            Entries = _unstable.Count == 0 ? Array.Empty<LogEntry>() : _unstable.ToArray(),
            Snapshot = _pendingSnapshot,
            Messages = messages,
            CommittedEntries = committed,
        };
    }

    /// <summary>
    /// Acknowledges that <paramref name="ready"/> was fully handled: its state persisted, its messages sent and
    /// its committed entries applied. Persisted entries now count toward the leader's own majority vote.
    /// </summary>
    public void Advance(Ready ready)
    {
        ArgumentNullException.ThrowIfNull(ready);
        if (!_readyOutstanding) throw new InvalidOperationException("Advance called without an outstanding Ready");
        _readyOutstanding = false;
        if (ready.HardState is { } hardState)
        {
            _persistedTerm = hardState.Term;
            _persistedVote = (_bugs & PlantedBugs.ForgetToPersistVote) != 0 && hardState.Term == _term ? _votedFor : hardState.VotedFor;
        }
        if (ready.Snapshot is not null && ReferenceEquals(ready.Snapshot, _pendingSnapshot))
        {
            _pendingSnapshot = null;
        }
        if (ready.Entries.Count > 0)
        {
            LogEntry last = ready.Entries[^1];
            StableTo(last.Index, last.Term);
        }
        if (ready.CommittedEntries.Count > 0)
        {
            _applied = Math.Max(_applied, ready.CommittedEntries[^1].Index);
        }
        if (_role == RaftRole.Leader && ready.Entries.Count > 0 && MaybeCommit() && _transferTarget < 0)
        {
            BroadcastCommit();
        }
    }

    private bool HardStateChanged =>
        _term != _persistedTerm || !string.Equals(_votedFor, _persistedVote, StringComparison.Ordinal);

    /// <summary>Committed entries may be applied only once durable locally and while no snapshot is being installed.</summary>
    private long ApplyUpTo => _pendingSnapshot is not null ? _applied
        : (_bugs & PlantedBugs.ApplyBeforePersist) != 0 ? _commit
        : Math.Min(_commit, StableLastIndex);
}
