using RaftMq.Consensus.Core;

namespace RaftMq.Consensus.Tests.Simulation;

/// <summary>
/// The durable part of a simulated node's log: it survives crashes. Writes come only from persisted Readys
/// (and from compaction), exactly as the real runtime's log store would see them.
/// </summary>
public sealed class MemoryRaftLog : IRaftLog
{
    private readonly List<LogEntry> _entries = new();
    private long _basePos;

    public long FirstIndex { get; private set; } = 1;

    public long LastIndex => FirstIndex + _entries.Count - 1;

    public long NextPos => _entries.Count > 0 ? _entries[^1].EndPos : _basePos;

    public Snapshot? LatestSnapshot { get; private set; }

    /// <summary>How many Entries() calls were served (tests use it to see that reads stay few).</summary>
    public int ReadCount { get; private set; }

    public long TermAt(long index)
    {
        if (index == FirstIndex - 1) return LatestSnapshot?.Term ?? 0;
        if (index < FirstIndex || index > LastIndex)
            throw new ArgumentOutOfRangeException(nameof(index), $"index {index} outside [{FirstIndex - 1}, {LastIndex}]");
        return _entries[(int)(index - FirstIndex)].Term;
    }

    public LogEntry EntryAt(long index) => _entries[(int)(index - FirstIndex)];

    public IReadOnlyList<LogEntry> Entries(long from, long toInclusive, long maxBytes)
    {
        ReadCount++;
        if (from < FirstIndex || toInclusive > LastIndex)
            throw new ArgumentOutOfRangeException(nameof(from), $"range [{from}, {toInclusive}] outside [{FirstIndex}, {LastIndex}]");
        var result = new List<LogEntry>();
        long bytes = 0;
        for (long i = from; i <= toInclusive; i++)
        {
            LogEntry entry = _entries[(int)(i - FirstIndex)];
            if (result.Count > 0 && bytes + entry.Size > maxBytes) break;
            result.Add(entry);
            bytes += entry.Size;
        }
        return result;
    }

    public IReadOnlyList<LogEntry> ConfigEntries(long from) =>
        _entries.Where(e => e.Index >= from && e.Type == EntryType.Config).ToList();

    /// <summary>Persists entries, truncating any conflicting suffix first (the Ready contract).</summary>
    public void Append(IReadOnlyList<LogEntry> entries)
    {
        if (entries.Count == 0) return;
        long first = entries[0].Index;
        if (first < FirstIndex || first > LastIndex + 1)
            throw new InvalidOperationException($"append at {first} leaves a gap or rewrites compacted entries [{FirstIndex}, {LastIndex}]");
        int keep = (int)(first - FirstIndex);
        _entries.RemoveRange(keep, _entries.Count - keep);
        foreach (LogEntry entry in entries)
        {
            if (entry.Index != LastIndex + 1 || entry.Pos != NextPos)
                throw new InvalidOperationException($"entry {entry.Index} at pos {entry.Pos} does not follow {LastIndex} ending at {NextPos}");
            _entries.Add(entry);
        }
    }

    /// <summary>Replaces the whole log with a snapshot received from the leader.</summary>
    public void InstallSnapshot(Snapshot snapshot)
    {
        _entries.Clear();
        FirstIndex = snapshot.Index + 1;
        _basePos = snapshot.NextPos;
        LatestSnapshot = snapshot;
    }

    /// <summary>Deletes every entry and the snapshot (an operator wiping a damaged log; the hard state is kept apart).</summary>
    public void Wipe()
    {
        _entries.Clear();
        FirstIndex = 1;
        _basePos = 0;
        LatestSnapshot = null;
    }

    /// <summary>Takes a snapshot at <paramref name="index"/> (applied locally) and drops the entries up to it.</summary>
    public void Compact(long index, ReadOnlyMemory<byte> data, Membership? membership = null)
    {
        if (index < FirstIndex || index > LastIndex) return;
        LogEntry last = EntryAt(index);
        LatestSnapshot = new Snapshot(index, last.Term, last.EndPos, data) { Membership = membership };
        _entries.RemoveRange(0, (int)(index - FirstIndex + 1));
        FirstIndex = index + 1;
        _basePos = last.EndPos;
    }
}
