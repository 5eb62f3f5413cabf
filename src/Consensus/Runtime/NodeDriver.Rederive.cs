using RaftMq.Consensus.Core;

namespace RaftMq.Consensus.Runtime;

/// <summary>
/// Keeping the state machine a function of the log after ASYNC_FLUSH power loss. Entries it applied can then be
/// missing from every log (they were committed, but no majority had synced them), and a new leader refills their
/// indexes with other entries. The state machine must not keep the effects of the lost entries nor skip the new ones.
/// </summary>
internal sealed partial class NodeDriver
{
    /// <summary>Reads of the log while re-deriving are bounded per call.</summary>
    private const long RederiveReadBytes = 4L * 1024 * 1024;

    /// <summary>
    /// Called before the leader's entries replace part of this node's log. The core never replaces entries it knows
    /// committed, but the state machine can be ahead of the core's recovered commit hint; when the replaced range
    /// starts at or below what the state machine applied (skipped on replay), the state machine is reset and
    /// re-derived from the entries that stay (up to the core's applied index).
    /// </summary>
    private void RederiveIfAppliedEntriesAreReplaced(IReadOnlyList<LogEntry> entries)
    {
        if (entries[0].Index > _skipApplyUpTo) return;
        long replacedFrom = FirstReplacedIndex(entries);
        if (replacedFrom < 0 || replacedFrom > _skipApplyUpTo) return;
        long applied = Volatile.Read(ref _appliedIndex);
        LogMessages.AppliedEntriesReplaced(_logger, _selfId, replacedFrom, _skipApplyUpTo, applied);
        _stateMachine.Reset();
        long from = 1;
        _skipApplyUpTo = 0;
        if (_log.FirstIndex > 1)
        {
            // Retention removed the head of the log: only a snapshot from before the replaced range can stand in for it.
            var snapshot = _log.LatestSnapshot;
            if (snapshot is null || snapshot.Index >= replacedFrom)
                throw new InvalidOperationException(
                    $"the leader replaces entries from index {replacedFrom} that the state machine applied, and the log starts at " +
                    $"{_log.FirstIndex} with no snapshot before {replacedFrom}: the state machine cannot be derived again");
            _stateMachine.RestoreSnapshot(snapshot);
            _skipApplyUpTo = snapshot.Index;
            from = snapshot.Index + 1;
        }
        while (from <= applied)
        {
            var batch = _log.Entries(from, applied, RederiveReadBytes);
            for (int i = 0; i < batch.Count; i++) _stateMachine.Apply(batch[i]);
            from = batch[^1].Index + 1;
        }
    }

    /// <summary>The first index where <paramref name="entries"/> differ in term from the log (-1: none does).</summary>
    private long FirstReplacedIndex(IReadOnlyList<LogEntry> entries)
    {
        long last = _log.LastIndex;
        for (int i = 0; i < entries.Count && entries[i].Index <= last; i++)
        {
            if (entries[i].Index < _log.FirstIndex) continue;
            if (_log.TermAt(entries[i].Index) != entries[i].Term) return entries[i].Index;
        }
        return -1;
    }
}
