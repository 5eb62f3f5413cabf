namespace RaftMq.Consensus.Runtime;

/// <summary>Bringing the state machine to where the log can continue it, before the core starts.</summary>
internal sealed partial class NodeDriver
{
    /// <summary>
    /// The core starts handing out committed entries after the state machine's applied index, clamped to the
    /// recovered commit index (a lazily saved hint); any it hands out again that the state machine already holds
    /// durably are skipped. A state machine behind the log's first entry cannot be
    /// rebuilt from entries that retention deleted, so it restores the latest snapshot first.
    /// </summary>
    private void CatchUpStateMachineToLog()
    {
        long baseIndex = _log.FirstIndex - 1;
        ResetStateMachineAheadOfLog(baseIndex);
        if (_stateMachine.AppliedIndex < baseIndex)
        {
            var snapshot = _log.LatestSnapshot;
            if (snapshot is null || snapshot.Index < baseIndex)
                throw new InvalidOperationException(
                    $"state machine applied index {_stateMachine.AppliedIndex} is below the log's first index {baseIndex + 1} " +
                    $"and no snapshot covers the gap (latest: {snapshot?.Index.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"})");
            LogMessages.StateMachineRestoredAtStart(_logger, _selfId, _stateMachine.AppliedIndex, baseIndex + 1, snapshot.Index);
            _stateMachine.RestoreSnapshot(snapshot);
            _skipApplyUpTo = snapshot.Index;
            return;
        }
        _skipApplyUpTo = _stateMachine.AppliedIndex;
    }

    /// <summary>
    /// A state machine whose applied entry the log no longer holds (a power loss in ASYNC_FLUSH cut entries it had
    /// applied; the slots may later be refilled with other entries) would skip or double-count entries; it is reset
    /// and re-derived. Applied points below the log's base cannot be checked and are handled by the snapshot path.
    /// </summary>
    private void ResetStateMachineAheadOfLog(long baseIndex)
    {
        long applied = _stateMachine.AppliedIndex;
        // A corrupt log serves only its verified prefix: the state machine is not ahead of it, and a node that will
        // never vote or lead must change nothing on disk (docs/operations/corrupt-log.md).
        if (applied == 0 || applied < baseIndex || RefusesToLead) return;
        long termInLog = applied <= _log.LastIndex ? _log.TermAt(applied) : -1;
        if (termInLog == _stateMachine.AppliedTerm) return;
        LogMessages.StateMachineAheadOfLog(_logger, _selfId, applied, _stateMachine.AppliedTerm, _log.LastIndex, termInLog);
        _stateMachine.Reset();
        if (_stateMachine.AppliedIndex != 0)
            throw new InvalidOperationException($"state machine reset left applied index {_stateMachine.AppliedIndex}, expected 0");
    }
}
