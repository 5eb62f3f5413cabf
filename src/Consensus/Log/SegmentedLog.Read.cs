using System.Buffers;
using RaftMq.Consensus.Core;

namespace RaftMq.Consensus.Log;

public sealed partial class SegmentedLog
{
    /// <summary>Upper bound of one Entries() read, whatever maxBytes says (at least one entry is still returned).</summary>
    internal const long MaxBytesPerRead = 64L << 20;

    private const int UnitsPerFileRead = 1024;

    /// <summary>
    /// Entries [from, toInclusive], stopping before the entry that would take the total entry size (header + body)
    /// past <paramref name="maxBytes"/>; at least one entry when the range is not empty. Every entry is verified
    /// (CRCs, pos, index, index unit) on the way out; a failure marks the log corrupt and throws
    /// <see cref="LogCorruptedException"/>. Bodies are slices of one buffer per call.
    /// </summary>
    public IReadOnlyList<LogEntry> Entries(long from, long toInclusive, long maxBytes)
    {
        if (from > toInclusive) return Array.Empty<LogEntry>();
        _lock.EnterReadLock();
        try
        {
            if (from <= _base.Index || toInclusive > _lastIndex)
                throw new ArgumentOutOfRangeException(nameof(from), $"entries [{from}, {toInclusive}] are not all in the log [{_base.Index + 1}, {_lastIndex}]");
            var units = CollectUnits(from, toInclusive, Math.Min(maxBytes, MaxBytesPerRead));
            return DecodeEntries(from, units);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>Copies the stored bytes at global <paramref name="pos"/> (possibly spanning segments) into the whole of
    /// <paramref name="destination"/>. False when that range is not within [FirstPos, NextPos).</summary>
    public bool TryRead(long pos, Span<byte> destination)
    {
        _lock.EnterReadLock();
        try
        {
            if (pos < _base.Pos || pos > _nextPos - destination.Length) return false;
            int got = _data.Read(pos, destination);
            if (got < destination.Length)
                throw CorruptionFound($"data segment {_data.PathFor(pos + got)} ends early: pos {pos + got} is below the log end {_nextPos}");
            return true;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    private List<IndexUnit> CollectUnits(long from, long toInclusive, long maxBytes)
    {
        var units = new List<IndexUnit>();
        long total = 0;
        var fromFile = Array.Empty<IndexUnit>();
        long fromFileFirst = 0;
        for (long index = from; index <= toInclusive; index++)
        {
            if (!_recent.TryGet(index, out var unit))
            {
                if (index - fromFileFirst >= fromFile.Length)
                {
                    fromFileFirst = index;
                    fromFile = ReadUnitsFromFile(index, (int)Math.Min(UnitsPerFileRead, Math.Min(_recent.First, toInclusive + 1) - index));
                }
                unit = fromFile[index - fromFileFirst];
            }
            if (units.Count > 0 && total + unit.EntrySize > maxBytes) break;
            units.Add(unit);
            total += unit.EntrySize;
        }
        return units;
    }

    private LogEntry[] DecodeEntries(long from, List<IndexUnit> units)
    {
        long firstPos = units[0].Pos;
        long length = units[^1].EndPos - firstPos;
        if (length < 0 || length > int.MaxValue)
            throw CorruptionFound($"index units for entries [{from}, {from + units.Count - 1}] give an impossible byte range");
        var buffer = new byte[length];
        int got = _data.Read(firstPos, buffer);
        if (got < buffer.Length)
            throw CorruptionFound($"data segment {_data.PathFor(firstPos + got)} ends early at pos {firstPos + got}; entries up to pos {firstPos + length} should be there");
        var entries = new LogEntry[units.Count];
        for (int i = 0; i < units.Count; i++)
        {
            long index = from + i;
            var unit = units[i];
            int offset = (int)(unit.Pos - firstPos);
            var check = EntryCodec.Verify(buffer.AsSpan(offset, unit.EntrySize), unit.Pos, index, out var header);
            if (check == EntryCheck.Ok && !unit.Matches(header)) check = EntryCheck.IndexUnitMismatch;
            if (check != EntryCheck.Ok)
                throw CorruptionFound($"{check} reading entry {index} at {_data.PathFor(unit.Pos)} offset {_data.FileOffset(unit.Pos)} (pos {unit.Pos})");
            entries[i] = new LogEntry(index, header.Term, header.Pos, header.Type, buffer.AsMemory(offset + EntryCodec.HeaderSize, header.BodyLength));
        }
        return entries;
    }

    /// <summary>
    /// The <see cref="EntryType.Config"/> entries at <paramref name="from"/> or later, found through the index units'
    /// type field (32 bytes per entry read, bodies only of the configuration entries). Damage found on the way marks the
    /// log corrupt (the node then refuses to lead) and ends the scan with what was found before it. The last answer is
    /// kept while the log does not change (the node driver checks the log with it before the core reads it again).
    /// </summary>
    public IReadOnlyList<LogEntry> ConfigEntries(long from)
    {
        _lock.EnterReadLock();
        try
        {
            if (_configScan is { } cached && cached.From <= from && cached.LastIndex == _lastIndex && cached.FirstIndex == _base.Index + 1)
                return cached.From == from ? cached.Entries : cached.Entries.FindAll(entry => entry.Index >= from);
            var found = new List<LogEntry>();
            try
            {
                ScanConfigEntries(from, found);
            }
            catch (LogCorruptedException)
            {
                // Recorded by CorruptionFound; what lies before the damage is still this node's configuration history.
            }
            _configScan = new ConfigScan(from, _base.Index + 1, _lastIndex, found);
            return found;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    private sealed record ConfigScan(long From, long FirstIndex, long LastIndex, List<LogEntry> Entries);

    private void ScanConfigEntries(long from, List<LogEntry> found)
    {
        long index = Math.Max(from, _base.Index + 1);
        while (index <= _lastIndex)
        {
            if (_recent.TryGet(index, out var unit))
            {
                if (unit.Type == EntryType.Config) found.AddRange(DecodeEntries(index, [unit]));
                index++;
                continue;
            }
            int count = (int)Math.Min(UnitsPerFileRead, Math.Min(_recent.First, _lastIndex + 1) - index);
            IndexUnit[] units = ReadUnitsFromFile(index, Math.Max(1, count));
            for (int i = 0; i < units.Length; i++)
            {
                if (units[i].Type == EntryType.Config) found.AddRange(DecodeEntries(index + i, [units[i]]));
            }
            index += units.Length;
        }
    }

    /// <summary>The unit of an entry in [FirstIndex, LastIndex]: from memory when recent, else from the index file.</summary>
    private IndexUnit UnitAt(long index) =>
        _recent.TryGet(index, out var unit) ? unit : ReadUnitsFromFile(index, 1)[0];

    private IndexUnit[] ReadUnitsFromFile(long firstIndex, int count)
    {
        int bytes = count * IndexUnit.Size;
        var buffer = ArrayPool<byte>.Shared.Rent(bytes);
        try
        {
            int got = _index.Read(firstIndex * IndexUnit.Size, buffer.AsSpan(0, bytes));
            var units = new IndexUnit[count];
            for (int i = 0; i < count; i++)
            {
                long index = firstIndex + i;
                if (got < (i + 1) * IndexUnit.Size || !IndexUnit.TryDecode(index, buffer.AsSpan(i * IndexUnit.Size, IndexUnit.Size), out units[i]))
                    throw CorruptionFound($"index unit {index} in {_index.PathFor(index * IndexUnit.Size)} is missing or fails its CRC");
            }
            return units;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
