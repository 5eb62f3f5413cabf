using System.Diagnostics;
using RaftMq.Consensus.Core;

namespace RaftMq.Consensus.Runtime;

/// <summary>Handling one Ready: persist, then send, then apply, then Advance.</summary>
internal sealed partial class NodeDriver
{
    private void HandleReady(Ready ready)
    {
        if ((_bugs & PlantedBugs.AckBeforeFsync) != 0) SendAll(ready.Messages);
        if ((_bugs & PlantedBugs.ApplyBeforePersist) != 0) Apply(ready.CommittedEntries);
        if (ready.Snapshot is { } snapshot) InstallSnapshot(snapshot);
        if (ready.Entries.Count > 0)
        {
            RederiveIfAppliedEntriesAreReplaced(ready.Entries);
            _log.Append(ready.Entries);
        }
        // HardStateFile.Save is atomic and fsynced on its own: term and vote are durable before any reply.
        if (ready.HardState is { } hardState) _hardStateFile.Save(hardState);
        if (ready.Entries.Count > 0)
        {
            if (_syncFlush) _log.Sync(); // group commit: one fsync for every entry stepped in this round
            else _unflushed = true;
        }
        if ((_bugs & PlantedBugs.AckBeforeFsync) == 0) SendAll(ready.Messages);
        if ((_bugs & PlantedBugs.ApplyBeforePersist) == 0) Apply(ready.CommittedEntries);
        _core.Advance(ready);
    }

    private void SendAll(IReadOnlyList<Message> messages)
    {
        for (int i = 0; i < messages.Count; i++) _host.Send(messages[i]);
    }

    private void InstallSnapshot(Snapshot snapshot)
    {
        _log.InstallSnapshot(snapshot);
        _stateMachine.RestoreSnapshot(snapshot);
        // The state machine is now exactly at the snapshot: everything after it must be applied, whatever it had
        // applied before (a wiped log with a surviving state machine would otherwise skip entries).
        _skipApplyUpTo = snapshot.Index;
        Volatile.Write(ref _appliedIndex, snapshot.Index);
        Volatile.Write(ref _committedEndPos, snapshot.NextPos);
        _metrics?.SnapshotInstalled();
        LogMessages.SnapshotInstalled(_logger, _selfId, snapshot.Index, snapshot.Term, snapshot.NextPos);
    }

    private void Apply(IReadOnlyList<LogEntry> committed)
    {
        if (committed.Count == 0) return;
        for (int i = 0; i < committed.Count; i++)
        {
            LogEntry entry = committed[i];
            // Readable before Apply runs, so whatever Apply wakes up (long-polling consumers) finds the bytes.
            Volatile.Write(ref _committedEndPos, entry.EndPos);
            long result = entry.Index > _skipApplyUpTo ? _stateMachine.Apply(entry) : 0;
            Volatile.Write(ref _appliedIndex, entry.Index);
            CompleteApplied(entry, result);
        }
        _metrics?.Committed(committed.Count);
    }

    /// <summary>Completes the waiting append whose last entry was just applied (and Unknown for any it skipped).</summary>
    private void CompleteApplied(LogEntry entry, long result)
    {
        while (_pending.Count > 0)
        {
            ref var head = ref _pending.Head;
            if (head.FirstIndex > entry.Index) return;
            if (head.LastIndex < entry.Index || head.Term != entry.Term)
            {
                // Replaced by another leader's entry (or passed over by a snapshot): the caller cannot know.
                head.Source.TryComplete(head.Version, head.Outcome(AppendStatus.Unknown));
                _pending.RemoveHead();
                continue;
            }
            if (entry.Index == head.FirstIndex)
            {
                head.Pos = entry.Pos;
                head.Result = result;
            }
            if (entry.Index == head.LastIndex)
            {
                if (head.Source.TryComplete(head.Version, head.Outcome(AppendStatus.Committed)))
                    _metrics?.CommitLatency(Stopwatch.GetElapsedTime(head.StartedAt));
                _pending.RemoveHead();
            }
            return;
        }
    }
}
