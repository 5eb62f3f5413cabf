using RaftMq.Consensus.Core;

namespace RaftMq.Consensus.Log;

/// <summary>Where a recovery scan stopped because the bytes at <see cref="Pos"/> are not entry <see cref="Index"/>.</summary>
internal readonly record struct ScanFailure(long Index, long Pos, EntryCheck Check);

/// <summary>What a forward scan of the data found.</summary>
internal sealed record ScanResult(long StartIndex, long LastIndex, long NextPos, ScanFailure? Failure, long? FirstBadUnitIndex, long FirstBadUnitPos);

/// <summary>
/// Recovery reads: verifies entries forward from a start point, cross-checks index units, and looks for a valid
/// entry beyond a failure (the evidence that separates corruption from a torn tail).
/// </summary>
internal sealed class LogScanner(SegmentedFileSet data, SegmentedFileSet index, BaseRecord @base, long dataEnd)
{
    private readonly SequentialReader _dataReader = new(data);
    private readonly SequentialReader _unitReader = new(index, 64 * 1024);
    private readonly long _indexEnd = index.EndOffset / IndexUnit.Size;

    /// <summary>Verifies every entry from (<paramref name="startIndex"/>, <paramref name="startPos"/>) to the data end,
    /// appending the verified units to <paramref name="recent"/>.</summary>
    public ScanResult Scan(long startIndex, long startPos, long previousTerm, RecentUnits recent)
    {
        recent.Reset(startIndex);
        long entryIndex = startIndex, pos = startPos;
        long? firstBadUnit = null;
        long firstBadUnitPos = 0;
        ScanFailure? failure = null;
        while (pos < dataEnd)
        {
            var check = VerifyAt(pos, entryIndex, out var header);
            if (check == EntryCheck.Ok && header.Term < previousTerm) check = EntryCheck.TermDecreasing;
            if (check != EntryCheck.Ok)
            {
                failure = new ScanFailure(entryIndex, pos, check);
                break;
            }
            if (firstBadUnit is null && !(TryReadUnit(entryIndex, out var stored) && stored.Matches(header)))
            {
                firstBadUnit = entryIndex;
                firstBadUnitPos = pos;
            }
            recent.Append(entryIndex, new IndexUnit(header.Pos, header.Term, header.Size, header.Type));
            previousTerm = header.Term;
            pos += header.Size;
            entryIndex++;
        }
        return new ScanResult(startIndex, entryIndex - 1, pos, failure, firstBadUnit, firstBadUnitPos);
    }

    /// <summary>
    /// The first entry at or after <paramref name="targetPos"/> among entries up to <paramref name="maxIndex"/>,
    /// located through the index (whose units up to maxIndex were fsynced) and checked against the data; null when
    /// there is none or the index does not answer consistently.
    /// </summary>
    public (long Index, long Pos, long PreviousTerm)? FindStart(long targetPos, long maxIndex)
    {
        long low = @base.Index + 1, high = Math.Min(maxIndex, _indexEnd - 1);
        if (high < low || !TryReadUnit(high, out var last) || last.Pos < targetPos) return null;
        while (low < high)
        {
            long middle = low + ((high - low) / 2);
            if (!TryReadUnit(middle, out var unit)) return null;
            if (unit.Pos >= targetPos) high = middle;
            else low = middle + 1;
        }
        if (!TryReadUnit(low, out var start) || start.Pos >= dataEnd) return null;
        long previousTerm = @base.Term;
        if (low - 1 > @base.Index)
        {
            if (!TryReadUnit(low - 1, out var previous)) return null;
            previousTerm = previous.Term;
        }
        return VerifyAt(start.Pos, low, out var header) == EntryCheck.Ok && start.Matches(header)
            ? (low, start.Pos, previousTerm)
            : null;
    }

    /// <summary>The entry after <paramref name="index"/> according to its (fsynced) index unit; null when the unit is
    /// unusable.</summary>
    public (long Index, long Pos, long PreviousTerm)? StartAfter(long index)
    {
        if (!TryReadUnit(index, out var unit) || unit.EndPos > dataEnd || unit.Pos < @base.Pos) return null;
        return (index + 1, unit.EndPos, unit.Term);
    }

    /// <summary>A fully valid entry after the failure, found through the index units or by scanning the bytes.</summary>
    public (long Index, long Pos)? FindValidEntryAfter(ScanFailure failure)
    {
        for (long candidate = failure.Index + 1; candidate < _indexEnd; candidate++)
        {
            if (TryReadUnit(candidate, out var unit) && unit.Pos > failure.Pos && unit.Pos < dataEnd
                && VerifyAt(unit.Pos, candidate, out _) == EntryCheck.Ok)
                return (candidate, unit.Pos);
        }
        return ScanBytesForEntry(failure.Pos + 1, failure.Index);
    }

    private (long Index, long Pos)? ScanBytesForEntry(long from, long minIndex)
    {
        var scan = new SequentialReader(data);
        ReadOnlySpan<byte> normal = [0, 0, 0, (byte)EntryType.Normal];
        ReadOnlySpan<byte> noop = [0, 0, 0, (byte)EntryType.Noop];
        ReadOnlySpan<byte> config = [0, 0, 0, (byte)EntryType.Config];
        const int Chunk = 1 << 20;
        for (long chunkStart = from; chunkStart < dataEnd; chunkStart += Chunk)
        {
            var chunk = scan.Get(chunkStart, (int)Math.Min(Chunk + 3, dataEnd - chunkStart));
            for (int at = 0; at + 4 <= chunk.Length && at < Chunk;)
            {
                int hit = FirstHit(FirstHit(chunk[at..].IndexOf(normal), chunk[at..].IndexOf(noop)), chunk[at..].IndexOf(config));
                if (hit < 0) break;
                long candidate = chunkStart + at + hit;
                if (at + hit < Chunk && IsValidEntryAt(candidate, minIndex, out long entryIndex)) return (entryIndex, candidate);
                at += hit + 1;
            }
        }
        return null;
    }

    /// <summary>The earlier of two IndexOf results (-1 = not found).</summary>
    private static int FirstHit(int a, int b) => a < 0 ? b : b < 0 ? a : Math.Min(a, b);

    private bool IsValidEntryAt(long pos, long minIndex, out long entryIndex)
    {
        entryIndex = 0;
        if (EntryCodec.TryReadHeader(_dataReader.Get(pos, EntryCodec.HeaderSize), out var header) != EntryCheck.Ok) return false;
        if (header.Pos != pos || header.Index < minIndex) return false;
        entryIndex = header.Index;
        return VerifyAt(pos, header.Index, out _) == EntryCheck.Ok;
    }

    private EntryCheck VerifyAt(long pos, long expectedIndex, out EntryHeader header)
    {
        var check = EntryCodec.TryReadHeader(_dataReader.Get(pos, EntryCodec.HeaderSize), out header);
        if (check != EntryCheck.Ok) return check;
        return EntryCodec.Verify(_dataReader.Get(pos, header.Size), pos, expectedIndex, out header);
    }

    private bool TryReadUnit(long unitIndex, out IndexUnit unit)
    {
        unit = default;
        return unitIndex >= 0 && unitIndex < _indexEnd
            && IndexUnit.TryDecode(unitIndex, _unitReader.Get(unitIndex * IndexUnit.Size, IndexUnit.Size), out unit);
    }
}
