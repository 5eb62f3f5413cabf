using RaftMq.Consensus.Core;

namespace RaftMq.Consensus.Log;

public sealed partial class SegmentedLog
{
    private void Recover()
    {
        string? problem = _data.Anomaly;
        if (problem is not null)
        {
            MarkCorruptAtOpen(problem);
            return;
        }
        if (_index.Anomaly is { } indexProblem)
        {
            // The index is derived from the data: drop it (e.g. IndexUnitsPerFile was changed) and rebuild it.
            _logger.IndexDiscarded(indexProblem);
            _index.DeleteAll();
        }
        try
        {
            _base = _baseFile.Load();
            ResetToEmptyAtBase();
            _snapshot = _snapshots.Load();
        }
        catch (InvalidDataException e)
        {
            MarkCorruptAtOpen(e.Message);
            return;
        }
        if (_base.ResetPending) ResetToSnapshotLocked(new Snapshot(_base.Index, _base.Term, _base.Pos, ReadOnlyMemory<byte>.Empty));
        CompleteRetention();
        var checkpoint = LoadCheckpoint();
        problem = FindMissingDataSegment();
        if (problem is not null)
        {
            MarkCorruptAtOpen(problem);
            return;
        }
        long dataEnd = Math.Max(_data.EndOffset, _base.Pos);
        var scanner = new LogScanner(_data, _index, _base, dataEnd);
        var scan = ScanFromBestStart(scanner, dataEnd, checkpoint);
        problem = JudgeScan(scanner, scan, checkpoint);
        ApplyScan(scan, problem);
        if (problem is not null)
        {
            MarkCorruptAtOpen(problem);
            return;
        }
        RepairAfterScan(scan, dataEnd, checkpoint);
        ResetWhenLogBehindSnapshot();
        _logger.Opened(_options.StorePath, _base.Index + 1, _lastIndex, _nextPos, scan.StartIndex);
    }

    private void ResetToEmptyAtBase()
    {
        _lastIndex = _base.Index;
        _nextPos = _base.Pos;
        _recent.Reset(_base.Index + 1);
    }

    private void MarkCorruptAtOpen(string reason)
    {
        _corruption = reason;
        _logger.Corrupt(_options.StorePath, reason);
    }

    /// <summary>Retention writes the base record before deleting files; delete what a crash left behind.</summary>
    private void CompleteRetention()
    {
        int dataFiles = _data.DeleteFilesBelow(_base.Pos);
        int indexFiles = _index.DeleteFilesBelow((_base.Index + 1) * IndexUnit.Size);
        if (dataFiles + indexFiles == 0) return;
        _data.SyncNow();
        _index.SyncNow();
        _logger.RetentionCompleted(dataFiles, indexFiles);
    }

    private Checkpoint? LoadCheckpoint()
    {
        var checkpoint = _checkpoint.Load(out var problem);
        if (problem is not null) _logger.CheckpointIgnored(_checkpoint.FilePath, problem);
        _checkpointIndex = checkpoint?.Index ?? 0;
        return checkpoint is { } value && value.Index > _base.Index ? value : null;
    }

    /// <summary>Data segments from the one holding the base pos to the last must all exist.</summary>
    private string? FindMissingDataSegment()
    {
        long expected = _base.Pos / _options.SegmentSizeBytes;
        foreach (long number in _data.FileNumbers)
        {
            if (number != expected)
                return $"data segment {_data.PathFor(expected * _options.SegmentSizeBytes)} is missing while later segments exist";
            expected++;
        }
        return null;
    }

    /// <summary>
    /// Verification must cover the last <see cref="LogStoreOptions.RecoveryVerifyBytes"/> and every entry whose index
    /// unit may not have been fsynced (after the checkpoint's index-synced point). Without a checkpoint, or when the
    /// index cannot locate a start, everything from the base is verified.
    /// </summary>
    private ScanResult ScanFromBestStart(LogScanner scanner, long dataEnd, Checkpoint? checkpoint)
    {
        var start = (Index: _base.Index + 1, Pos: _base.Pos, PreviousTerm: _base.Term);
        long target = dataEnd - _options.RecoveryVerifyBytes;
        long indexSynced = checkpoint is { } cp ? Math.Min(cp.IndexSyncedIndex, cp.Index) : _base.Index;
        if (target > _base.Pos && indexSynced > _base.Index && scanner.StartAfter(indexSynced) is { } afterSynced)
        {
            // Units after the index-synced point may be lost or stale: verification starts there at the latest.
            start = afterSynced.Pos <= target ? afterSynced : scanner.FindStart(target, indexSynced) ?? start;
        }
        return scanner.Scan(start.Index, start.Pos, start.PreviousTerm, _recent);
    }

    /// <summary>
    /// Null when the scan ended cleanly or at a torn tail; otherwise why this is corruption: the damage lies in
    /// synced data (below the checkpoint), or an intact entry breaks the invariants, or a valid entry follows it.
    /// </summary>
    private string? JudgeScan(LogScanner scanner, ScanResult scan, Checkpoint? checkpoint)
    {
        if (scan.Failure is not { } failure)
        {
            return checkpoint is { } synced && scan.NextPos < synced.EndPos
                ? $"data ends at pos {scan.NextPos} (index {scan.LastIndex}) in {_data.PathFor(Math.Max(scan.NextPos - 1, 0))}, but entries up to index {synced.Index} (pos {synced.EndPos}) had been synced (checkpoint)"
                : null;
        }
        string where = $"{failure.Check} at {_data.PathFor(failure.Pos)} offset {_data.FileOffset(failure.Pos)} (pos {failure.Pos}, expected entry index {failure.Index})";
        if (checkpoint is { } cp && failure.Pos < cp.EndPos)
            return $"{where}; entries up to index {cp.Index} (pos {cp.EndPos}) had been synced (checkpoint)";
        if (failure.Check is EntryCheck.PosMismatch or EntryCheck.IndexNotContiguous or EntryCheck.TermDecreasing)
            return $"{where}; the entry's checksums are intact but it breaks the log's invariants";
        return scanner.FindValidEntryAfter(failure) is { } after
            ? $"{where}; a valid entry follows it (index {after.Index} at pos {after.Pos}), so this is not a torn tail"
            : null;
    }

    /// <summary>Adopts what the scan verified (also for a corrupt log, which serves that prefix read-only).</summary>
    private void ApplyScan(ScanResult scan, string? corruption)
    {
        _lastIndex = scan.LastIndex;
        _nextPos = scan.NextPos;
        if (corruption is null) _durableIndex = _lastIndex;
    }

    private void RepairAfterScan(ScanResult scan, long dataEnd, Checkpoint? checkpoint)
    {
        if (scan.Failure is { } kept && (_options.Bugs & PlantedBugs.KeepTornTail) != 0 && KeepTornEntry(kept))
        {
            scan = scan with { Failure = null };
        }
        if (scan.Failure is { } torn)
        {
            _logger.TornTailTruncated(torn.Check, _data.PathFor(torn.Pos), _data.FileOffset(torn.Pos), torn.Pos, torn.Index, dataEnd - torn.Pos);
            _data.TruncateTo(torn.Pos);
        }
        if (scan.FirstBadUnitIndex is { } from)
        {
            RebuildIndexUnits(from, scan.FirstBadUnitPos);
            _logger.IndexRebuilt(from, _lastIndex);
        }
        _index.TruncateTo((_lastIndex + 1) * IndexUnit.Size);
        // Whatever survived a process crash may still sit only in the page cache: make it durable before
        // reporting it as DurableIndex (a vote or an acknowledgement may rely on it). Below the checkpoint all was synced.
        _data.SyncFilesFrom(checkpoint?.EndPos ?? _base.Pos);
        _index.SyncFilesFrom(((checkpoint?.IndexSyncedIndex ?? _base.Index) + 1) * IndexUnit.Size);
        MarkIndexSynced(_lastIndex, _nextPos);
        if (_lastIndex > _base.Index) WriteCheckpoint(_lastIndex, _nextPos, durable: false);
    }

    /// <summary>Planted bug: adopts a torn last entry whose header survived, as if its body were whole.</summary>
    private bool KeepTornEntry(ScanFailure torn)
    {
        var headerBytes = new byte[EntryCodec.HeaderSize];
        if (_data.Read(torn.Pos, headerBytes) < headerBytes.Length) return false;
        if (EntryCodec.TryReadHeader(headerBytes, out var header) != EntryCheck.Ok || header.Index != torn.Index) return false;
        var unit = new IndexUnit(torn.Pos, header.Term, header.Size, header.Type);
        var encoded = new byte[IndexUnit.Size];
        unit.Encode(torn.Index, encoded);
        _index.Write(torn.Index * IndexUnit.Size, encoded);
        _recent.Append(torn.Index, unit);
        _lastIndex = torn.Index;
        _nextPos = torn.Pos + header.Size;
        return true;
    }

    private void RebuildIndexUnits(long fromIndex, long fromPos)
    {
        var reader = new SequentialReader(_data);
        var units = new byte[IndexUnit.Size * 1024];
        long batchFirst = fromIndex, pos = fromPos;
        int filled = 0;
        for (long index = fromIndex; index <= _lastIndex; index++)
        {
            EntryCodec.TryReadHeader(reader.Get(pos, EntryCodec.HeaderSize), out var header);
            new IndexUnit(pos, header.Term, header.Size, header.Type).Encode(index, units.AsSpan(filled, IndexUnit.Size));
            filled += IndexUnit.Size;
            pos += header.Size;
            if (filled == units.Length || index == _lastIndex)
            {
                _index.Write(batchFirst * IndexUnit.Size, units.AsSpan(0, filled));
                batchFirst = index + 1;
                filled = 0;
            }
        }
    }

    /// <summary>
    /// Raft's rule for a snapshot: keep the log only if it holds the snapshot's last entry (same term and next pos);
    /// otherwise discard it (e.g. a crash after saving an installed snapshot but before resetting the log).
    /// </summary>
    private void ResetWhenLogBehindSnapshot()
    {
        if (_snapshot is not { } snapshot || snapshot.Index <= _base.Index) return;
        if (snapshot.Index <= _lastIndex && TermAtLocked(snapshot.Index) == snapshot.Term && PosOf(snapshot.Index + 1) == snapshot.NextPos) return;
        _logger.LogBehindSnapshot(snapshot.Index, snapshot.Term);
        ResetToSnapshotLocked(snapshot);
    }
}
