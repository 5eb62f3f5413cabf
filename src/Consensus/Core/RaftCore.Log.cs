namespace RaftMq.Consensus.Core;

/// <summary>
/// The core's view of the log: the durable <see cref="IRaftLog"/> overlaid by the in-memory "unstable" tail of
/// entries produced (proposed or received) but not yet reported persisted via <see cref="Advance"/>, and by a
/// received snapshot that is not yet persisted. Unstable entries starting at an index inside the durable log
/// shadow the durable suffix (a follower truncating a conflicting tail).
/// </summary>
internal sealed partial class RaftCore
{
    private readonly List<LogEntry> _unstable = new();

    /// <summary>Index of <c>_unstable[0]</c>; only meaningful while the tail is not empty.</summary>
    private long _unstableOffset;

    /// <summary>A snapshot received from the leader that the runtime has not yet persisted.</summary>
    private Snapshot? _pendingSnapshot;

    /// <summary>Index of the last entry in the log, including entries not yet persisted.</summary>
    public long LastIndex =>
        _unstable.Count > 0 ? _unstableOffset + _unstable.Count - 1 : _pendingSnapshot?.Index ?? _log.LastIndex;

    private long FirstIndex => _pendingSnapshot is { } snapshot ? snapshot.Index + 1 : _log.FirstIndex;

    /// <summary>Last index known durable in the local log (what this node may count and apply).</summary>
    private long StableLastIndex => _unstable.Count > 0 ? _unstableOffset - 1 : LastIndex;

    private long LastTerm => TermAtOrUnknown(LastIndex);

    /// <summary>Pos of the entry that would follow the last one.</summary>
    private long NextPos =>
        _unstable.Count > 0 ? _unstable[^1].EndPos : _pendingSnapshot?.NextPos ?? _log.NextPos;

    /// <summary>Term of the entry at <paramref name="index"/>, or -1 when compacted away or beyond the last index.</summary>
    private long TermAtOrUnknown(long index)
    {
        if (_unstable.Count > 0 && index >= _unstableOffset)
        {
            long offset = index - _unstableOffset;
            return offset < _unstable.Count ? _unstable[(int)offset].Term : -1;
        }
        if (_pendingSnapshot is { } snapshot)
        {
            return index == snapshot.Index ? snapshot.Term : -1;
        }
        if (index > _log.LastIndex || index < _log.FirstIndex - 1) return -1;
        return index == 0 ? 0 : _log.TermAt(index);
    }

    /// <summary>Pos just past the entry at <paramref name="index"/> (the pos of entry index + 1).</summary>
    private long EndPosAt(long index)
    {
        if (index == LastIndex) return NextPos;
        if (_unstable.Count > 0 && index >= _unstableOffset) return _unstable[(int)(index - _unstableOffset)].EndPos;
        if (_pendingSnapshot is { } snapshot && index == snapshot.Index) return snapshot.NextPos;
        if (index == _log.LastIndex) return _log.NextPos;
        if (index == _log.FirstIndex - 1) return _log.Entries(_log.FirstIndex, _log.FirstIndex, 1)[0].Pos;
        return _log.Entries(index, index, 1)[0].EndPos;
    }

    /// <summary>Entries [from, to] from the combined view, stopping once maxBytes is reached (at least one entry).</summary>
    private IReadOnlyList<LogEntry> EntriesBetween(long from, long to, long maxBytes)
    {
        if (from > to) return Array.Empty<LogEntry>();
        if (_unstable.Count > 0 && from >= _unstableOffset)
        {
            return CopyUnstable(from, to, maxBytes, null);
        }
        long durableTo = _unstable.Count > 0 ? Math.Min(to, _unstableOffset - 1) : to;
        IReadOnlyList<LogEntry> durable = _log.Entries(from, durableTo, maxBytes);
        if (durableTo == to || durable.Count < durableTo - from + 1) return durable;
        long used = 0;
        for (int i = 0; i < durable.Count; i++) used += durable[i].Size;
        if (used >= maxBytes) return durable;
        return CopyUnstable(_unstableOffset, to, maxBytes - used, durable);
    }

    private List<LogEntry> CopyUnstable(long from, long to, long maxBytes, IReadOnlyList<LogEntry>? prefix)
    {
        int start = (int)(from - _unstableOffset);
        int end = (int)(Math.Min(to, LastIndex) - _unstableOffset);
        var result = new List<LogEntry>((prefix?.Count ?? 0) + end - start + 1);
        if (prefix is not null)
        {
            for (int i = 0; i < prefix.Count; i++) result.Add(prefix[i]);
        }
        long bytes = 0;
        for (int i = start; i <= end; i++)
        {
            LogEntry entry = _unstable[i];
            if ((result.Count > 0 || prefix is not null) && bytes + entry.Size > maxBytes) break;
            result.Add(entry);
            bytes += entry.Size;
        }
        return result;
    }

    /// <summary>Appends entries produced by this node (as leader) to the unstable tail.</summary>
    private void AppendOwn(LogEntry entry)
    {
        if (_unstable.Count == 0) _unstableOffset = entry.Index;
        _unstable.Add(entry);
        if (entry.Type == EntryType.Config) TrackConfigs([entry], 0);
    }

    /// <summary>
    /// Replaces the log from <paramref name="entries"/>[<paramref name="start"/>].Index onwards with those entries
    /// (a follower truncating a conflicting suffix, or appending at the end).
    /// </summary>
    private void TruncateAndAppend(IReadOnlyList<LogEntry> entries, int start)
    {
        long firstIndex = entries[start].Index;
        if (_unstable.Count > 0 && firstIndex >= _unstableOffset)
        {
            int keep = (int)(firstIndex - _unstableOffset);
            _unstable.RemoveRange(keep, _unstable.Count - keep);
        }
        else
        {
            _unstable.Clear();
        }
        if (_unstable.Count == 0) _unstableOffset = firstIndex;
        for (int i = start; i < entries.Count; i++) _unstable.Add(entries[i]);
        ForgetConfigsFrom(firstIndex);
        TrackConfigs(entries, start);
    }

    /// <summary>The runtime persisted the unstable tail up to <paramref name="index"/> (with that term).</summary>
    private void StableTo(long index, long term)
    {
        if (_unstable.Count == 0 || index < _unstableOffset) return;
        long offset = index - _unstableOffset;
        // A tail truncated after the Ready was handed out is not what was persisted; it comes again next Ready.
        if (offset >= _unstable.Count || _unstable[(int)offset].Term != term) return;
        _unstable.RemoveRange(0, (int)offset + 1);
        _unstableOffset = index + 1;
    }

    /// <summary>Restores the log view to a snapshot received from the leader (persisted through the next Ready).</summary>
    private void RestoreSnapshot(Snapshot snapshot)
    {
        _pendingSnapshot = snapshot;
        _unstable.Clear();
        _unstableOffset = snapshot.Index + 1;
        _commit = snapshot.Index;
        _applied = snapshot.Index;
        ResetMembershipTo(snapshot);
    }

    private bool IsUpToDate(long lastTerm, long lastIndex)
    {
        if ((_bugs & PlantedBugs.GrantVoteWithoutUpToDateCheck) != 0) return true;
        long ownLastTerm = LastTerm;
        return lastTerm > ownLastTerm || (lastTerm == ownLastTerm && lastIndex >= LastIndex);
    }
}
