using RaftMq.Consensus.Core;

namespace RaftMq.Consensus.Log;

public sealed partial class SegmentedLog
{
    /// <summary>
    /// Persists a snapshot received from the leader and resets the log to it: empty, FirstIndex = Index + 1,
    /// NextPos = snapshot.NextPos, TermAt(Index) = Term. Every data and index file is deleted. Crash-safe: the base
    /// record carries a reset-pending flag until the old files are gone, and Open finishes an interrupted reset.
    /// </summary>
    public void InstallSnapshot(Snapshot snapshot)
    {
        ValidateSnapshotShape(snapshot);
        _lock.EnterWriteLock();
        try
        {
            ThrowIfCorrupt();
            _snapshots.Save(snapshot);
            _snapshot = snapshot;
            ResetToSnapshotLocked(snapshot);
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>
    /// Durably records a snapshot the local state machine took at an applied index in [FirstIndex - 1, LastIndex];
    /// its term and next pos must match the log. It allows <see cref="DeleteSegmentsBefore"/> to delete up to it.
    /// </summary>
    public void SaveSnapshot(Snapshot snapshot)
    {
        ValidateSnapshotShape(snapshot);
        _lock.EnterReadLock();
        try
        {
            ThrowIfCorrupt();
            if (_snapshot is { } latest && snapshot.Index < latest.Index)
                throw new ArgumentException($"snapshot at index {snapshot.Index} is older than the latest one at {latest.Index}", nameof(snapshot));
            if (snapshot.Index < _base.Index || snapshot.Index > _lastIndex)
                throw new ArgumentException($"snapshot index {snapshot.Index} is outside the log [{_base.Index}, {_lastIndex}]", nameof(snapshot));
            long term = TermAtLocked(snapshot.Index);
            long nextPos = PosOf(snapshot.Index + 1);
            if (term != snapshot.Term || nextPos != snapshot.NextPos)
                throw new ArgumentException($"snapshot (index {snapshot.Index}, term {snapshot.Term}, next pos {snapshot.NextPos}) does not match the log (term {term}, next pos {nextPos})", nameof(snapshot));
        }
        finally
        {
            _lock.ExitReadLock();
        }
        // Writing outside the lock keeps readers going during the fsync; only the node loop mutates the log.
        _snapshots.Save(snapshot);
        _lock.EnterWriteLock();
        _snapshot = snapshot;
        _lock.ExitWriteLock();
    }

    /// <summary>
    /// Retention: deletes the data segments that lie entirely below entry min(<paramref name="index"/>, latest
    /// snapshot index + 1) together with their index units, and returns how many data segments went. FirstIndex
    /// moves to the first entry that starts in a remaining segment; TermAt(FirstIndex - 1) keeps answering from the
    /// durable base record, written before any file is deleted.
    /// </summary>
    public int DeleteSegmentsBefore(long index)
    {
        _lock.EnterWriteLock();
        try
        {
            ThrowIfCorrupt();
            long limit = Math.Min(Math.Min(index, (_snapshot?.Index ?? 0) + 1), _lastIndex + 1);
            if (limit <= _base.Index + 1) return 0;
            long boundary = PosOf(limit) / _options.SegmentSizeBytes * _options.SegmentSizeBytes;
            if (boundary <= _base.Pos) return 0;
            long newFirst = FirstIndexStartingAtOrAfter(boundary, limit);
            var newBase = new BaseRecord(newFirst - 1, TermAtLocked(newFirst - 1), PosOf(newFirst), ResetPending: false);
            _baseFile.Save(newBase);
            _base = newBase;
            int deleted = _data.DeleteFilesBelow(boundary);
            _index.DeleteFilesBelow(newFirst * IndexUnit.Size);
            _data.SyncNow();
            _index.SyncNow();
            _recent.DropBelow(newFirst);
            MarkIndexSynced(_lastIndex, _nextPos);
            _logger.SegmentsDeleted(deleted, newFirst, newBase.Pos);
            return deleted;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    private static void ValidateSnapshotShape(Snapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (snapshot.Index < 0 || snapshot.Term < 0 || snapshot.NextPos < 0)
            throw new ArgumentException($"snapshot has a negative index, term or next pos ({snapshot.Index}, {snapshot.Term}, {snapshot.NextPos})", nameof(snapshot));
    }

    /// <summary>Smallest index in [FirstIndex, limit] whose pos is at least <paramref name="pos"/> (pos(limit) is).</summary>
    private long FirstIndexStartingAtOrAfter(long pos, long limit)
    {
        long low = _base.Index + 1, high = limit;
        while (low < high)
        {
            long middle = low + ((high - low) / 2);
            if (PosOf(middle) >= pos) high = middle;
            else low = middle + 1;
        }
        return low;
    }

    private void ResetToSnapshotLocked(Snapshot snapshot)
    {
        var reset = new BaseRecord(snapshot.Index, snapshot.Term, snapshot.NextPos, ResetPending: true);
        _baseFile.Save(reset);
        MarkIndexSynced(snapshot.Index, snapshot.NextPos);
        WriteCheckpoint(snapshot.Index, snapshot.NextPos, durable: true);
        _data.DeleteAll();
        _index.DeleteAll();
        _data.SyncNow();
        _index.SyncNow();
        _base = reset with { ResetPending = false };
        _baseFile.Save(_base);
        _recent.Reset(snapshot.Index + 1);
        _lastIndex = snapshot.Index;
        _nextPos = snapshot.NextPos;
        _durableIndex = snapshot.Index;
        MarkIndexSynced(snapshot.Index, snapshot.NextPos);
        _logger.ResetToSnapshot(snapshot.Index, snapshot.Term, snapshot.NextPos);
    }
}
