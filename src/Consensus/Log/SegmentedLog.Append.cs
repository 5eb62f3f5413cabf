using System.Buffers;
using RaftMq.Consensus.Core;

namespace RaftMq.Consensus.Log;

public sealed partial class SegmentedLog
{
    /// <summary>Entries are encoded into pooled buffers of about this size; each fills one write per segment.</summary>
    private const int WriteBufferBytes = 1 << 20;

    /// <summary>
    /// Appends <paramref name="entries"/> (not yet durable: call <see cref="Sync"/>). Entries may start at or below
    /// LastIndex (a follower repairing divergence): leading entries the log already holds with the same term are
    /// skipped, and the suffix from the first entry whose term differs is truncated before writing (Raft §5.3; a
    /// delayed duplicate batch therefore never cuts off entries appended after it). Throws InvalidOperationException
    /// ("log invariant violated: ...") unless indexes are contiguous, each pos equals the previous end pos and terms
    /// do not decrease; nothing is changed then.
    /// </summary>
    public void Append(IReadOnlyList<LogEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0) return;
        _lock.EnterWriteLock();
        try
        {
            ThrowIfCorrupt();
            ValidateAppend(entries);
            int held = CountAlreadyHeld(entries);
            if (held == entries.Count) return;
            var fresh = held == 0 ? entries : entries.Skip(held).ToList();
            if (fresh[0].Index <= _lastIndex) TruncateSuffixLocked(fresh[0].Index);
            WriteEntries(fresh);
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>
    /// fsyncs the data written since the last Sync (one fsync per touched segment: group commit), then advances
    /// <see cref="DurableIndex"/> and the checkpoint. Index units are fsynced only once half of
    /// <see cref="LogStoreOptions.RecoveryVerifyBytes"/> of data was written since their last fsync: they are derived
    /// from the data, and recovery re-verifies and rebuilds the units after the index-synced point in the checkpoint.
    /// So a batch costs one fsync.
    /// </summary>
    public void Sync()
    {
        SegmentedFileSet.PendingSync data, index = default;
        bool syncIndex;
        long target, endPos;
        _lock.EnterWriteLock();
        try
        {
            data = _data.TakePendingSync();
            target = _lastIndex;
            endPos = _nextPos;
            syncIndex = endPos - _indexSyncedEndPos >= _options.RecoveryVerifyBytes / 2;
            if (syncIndex) index = _index.TakePendingSync();
        }
        finally
        {
            _lock.ExitWriteLock();
        }
        try
        {
            data.Run();
            if (syncIndex) index.Run();
        }
        catch (IOException e)
        {
            // After a failed fsync the kernel may have dropped the dirty pages: nothing written since the last good
            // Sync can be trusted to be on disk, and retrying would falsely succeed. Stop claiming durability.
            throw CorruptionFound($"fsync failed ({e.Message}); entries after index {_durableIndex} may not be on disk");
        }
        _lock.EnterWriteLock();
        try
        {
            _durableIndex = target;
            if (syncIndex) MarkIndexSynced(target, endPos);
            if (target != _checkpointIndex && target > _base.Index) WriteCheckpoint(target, endPos, durable: false);
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Removes entries <paramref name="fromIndex"/> and after, durably. No-op when fromIndex &gt; LastIndex.</summary>
    public void TruncateSuffix(long fromIndex)
    {
        _lock.EnterWriteLock();
        try
        {
            ThrowIfCorrupt();
            if (fromIndex <= _base.Index)
                throw new InvalidOperationException($"log invariant violated: cannot truncate from index {fromIndex}, entries up to {_base.Index} are compacted");
            if (fromIndex <= _lastIndex) TruncateSuffixLocked(fromIndex);
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    private void ValidateAppend(IReadOnlyList<LogEntry> entries)
    {
        var first = entries[0];
        if (first.Index <= _base.Index || first.Index > _lastIndex + 1)
            throw Violated($"entry {first.Index} cannot follow: the log holds [{_base.Index + 1}, {_lastIndex}] and entries up to {_base.Index} are compacted");
        long expectedPos = PosOf(first.Index);
        long previousTerm = TermAtLocked(first.Index - 1);
        for (int i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            if (entry.Index != first.Index + i) throw Violated($"entry {entry.Index} follows entry {first.Index + i - 1} in the batch");
            if (entry.Pos != expectedPos) throw Violated($"entry {entry.Index} has pos {entry.Pos}, the log expects {expectedPos}");
            if (entry.Term < previousTerm) throw Violated($"entry {entry.Index} has term {entry.Term} below the previous term {previousTerm}");
            if (entry.Type is not (EntryType.Normal or EntryType.Noop or EntryType.Config)) throw Violated($"entry {entry.Index} has unknown type {entry.Type}");
            if (entry.Body.Length > EntryCodec.MaxBodyLength) throw Violated($"entry {entry.Index} body of {entry.Body.Length} bytes is too large");
            expectedPos += entry.Size;
            previousTerm = entry.Term;
        }
    }

    /// <summary>How many leading entries the log already holds (same index and term, hence the same entry).</summary>
    private int CountAlreadyHeld(IReadOnlyList<LogEntry> entries)
    {
        int held = 0;
        while (held < entries.Count && entries[held].Index <= _lastIndex && TermAtLocked(entries[held].Index) == entries[held].Term) held++;
        return held;
    }

    private static InvalidOperationException Violated(string detail) => new($"log invariant violated: {detail}");

    private void WriteEntries(IReadOnlyList<LogEntry> entries)
    {
        try
        {
            WriteData(entries);
            WriteIndexUnits(entries);
        }
        catch
        {
            // Leave no partial batch behind: recovery must not find stray bytes after the last entry.
            _data.TruncateTo(_nextPos);
            _index.TruncateTo((_lastIndex + 1) * IndexUnit.Size);
            throw;
        }
        for (int i = 0; i < entries.Count; i++) _recent.Append(entries[i].Index, IndexUnit.Of(entries[i]));
        var last = entries[^1];
        _lastIndex = last.Index;
        _nextPos = last.EndPos;
    }

    private void WriteData(IReadOnlyList<LogEntry> entries)
    {
        long batchBytes = 0;
        for (int i = 0; i < entries.Count; i++) batchBytes += entries[i].Size;
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(Math.Max(batchBytes, 1), WriteBufferBytes));
        try
        {
            long writePos = entries[0].Pos;
            int filled = 0;
            for (int i = 0; i < entries.Count; i++)
            {
                var entry = entries[i];
                if (entry.Size > buffer.Length - filled)
                {
                    _data.Write(writePos, buffer.AsSpan(0, filled));
                    writePos += filled;
                    filled = 0;
                    if (entry.Size > buffer.Length)
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = ArrayPool<byte>.Shared.Rent(entry.Size);
                    }
                }
                EntryCodec.Encode(entry, buffer.AsSpan(filled));
                filled += entry.Size;
            }
            _data.Write(writePos, buffer.AsSpan(0, filled));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void WriteIndexUnits(IReadOnlyList<LogEntry> entries)
    {
        int bytes = entries.Count * IndexUnit.Size;
        var buffer = ArrayPool<byte>.Shared.Rent(bytes);
        try
        {
            for (int i = 0; i < entries.Count; i++)
                IndexUnit.Of(entries[i]).Encode(entries[i].Index, buffer.AsSpan(i * IndexUnit.Size, IndexUnit.Size));
            _index.Write(entries[0].Index * IndexUnit.Size, buffer.AsSpan(0, bytes));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void TruncateSuffixLocked(long fromIndex)
    {
        long pos = PosOf(fromIndex);
        long previousLast = _lastIndex;
        // The checkpoint must never claim entries the data no longer holds, so lower it durably first.
        if (_checkpointIndex >= fromIndex) WriteCheckpoint(fromIndex - 1, pos, durable: true);
        _data.TruncateTo(pos);
        _index.TruncateTo(fromIndex * IndexUnit.Size);
        // Durable at once: an un-synced truncation could resurrect stale entries after a crash.
        _data.SyncNow();
        _index.SyncNow();
        _recent.TruncateFrom(fromIndex);
        _lastIndex = fromIndex - 1;
        _nextPos = pos;
        _durableIndex = Math.Min(_durableIndex, _lastIndex);
        MarkIndexSynced(_lastIndex, _nextPos);
        _logger.SuffixTruncated(fromIndex, pos, previousLast);
    }

    private void WriteCheckpoint(long index, long endPos, bool durable)
    {
        _checkpoint.Write(new Checkpoint(index, endPos, Math.Min(_indexSyncedIndex, index)), durable);
        _checkpointIndex = index;
    }

    private void MarkIndexSynced(long index, long endPos)
    {
        _indexSyncedIndex = index;
        _indexSyncedEndPos = endPos;
    }
}
