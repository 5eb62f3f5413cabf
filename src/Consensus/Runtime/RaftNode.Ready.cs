using System.Diagnostics;
using RaftMq.Consensus.Core;
using RaftMq.Consensus.Wire;

namespace RaftMq.Consensus.Runtime;

/// <summary>Handling one Ready: persist, then send, then apply, then Advance.</summary>
public sealed partial class RaftNode
{
    private void HandleReady(Ready ready)
    {
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
            if (SyncFlush) SyncLog(ready.Entries.Count); // group commit: one fsync for every entry stepped in this round
            else
            {
                _unflushed = true;
                _unsyncedEntries += ready.Entries.Count;
            }
        }
        Send(ready.Messages);
        Apply(ready.CommittedEntries);
        _core.Advance(ready);
    }

    private void SyncLog(int entries)
    {
        long started = Stopwatch.GetTimestamp();
        _log.Sync();
        _metrics.Fsynced(Stopwatch.GetElapsedTime(started), entries);
        _unsyncedEntries = 0;
    }

    /// <summary>Messages of <paramref name="type"/> handed to the transport so far (diagnostics and tests).</summary>
    internal long SentMessages(MessageType type) => Interlocked.Read(ref _sentByType[(int)type]);

    private void InstallSnapshot(Snapshot snapshot)
    {
        _log.InstallSnapshot(snapshot);
        _stateMachine.RestoreSnapshot(snapshot);
        // The state machine is now exactly at the snapshot: everything after it must be applied, whatever it had
        // applied before (a wiped log with a surviving state machine would otherwise skip entries).
        _skipApplyUpTo = snapshot.Index;
        Volatile.Write(ref _appliedIndex, snapshot.Index);
        Volatile.Write(ref _committedEndPos, snapshot.NextPos);
        _metrics.SnapshotInstalled();
        LogMessages.SnapshotInstalled(_logger, SelfId, snapshot.Index, snapshot.Term, snapshot.NextPos);
    }

    private void Send(IReadOnlyList<Message> messages)
    {
        for (int i = 0; i < messages.Count; i++)
        {
            Message message = messages[i];
            byte[] payload;
            try
            {
                payload = new byte[MessageCodec.GetEncodedSize(message)];
                MessageCodec.Encode(message, payload);
                // The transport keeps the array until written; it is never reused.
                _transport.TrySend(message.To, payload);
                Interlocked.Increment(ref _sentByType[(int)message.Type]);
            }
            catch (ArgumentException e)
            {
                // Too large for one frame (a huge snapshot): the peer cannot be caught up this way; say so loudly
                // rather than halting the whole node. Raft treats it as a lost message and retries later.
                LogMessages.MessageNotSendable(_logger, SelfId, message.Type, message.To, e.Message);
            }
        }
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
        _metrics.Committed(committed.Count);
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
                    _metrics.CommitLatency(Stopwatch.GetElapsedTime(head.StartedAt));
                _pending.RemoveHead();
            }
            return;
        }
    }
}
