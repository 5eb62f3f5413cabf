using System.Buffers.Binary;
using RaftMq.Foundation.Checksums;

namespace RaftMq.Broker.Store.Index;

/// <summary>State flags of an index file.</summary>
[Flags]
internal enum IndexFileFlags : uint
{
    None = 0,

    /// <summary>The slot table matches the entries exactly (written at an orderly close or a seal, with its CRC).</summary>
    SlotsComplete = 1,

    /// <summary>Full: no entry will be added; the file is only read.</summary>
    Sealed = 2,
}

/// <summary>
/// The fixed header of an index file (big-endian, <see cref="Size"/> bytes): magic | version | slot count | entry
/// capacity | entry count | flags | begin/end store timestamp | begin/end physical offset | covered-from/covered-to log
/// pos | entries CRC | slots CRC | min store timestamp | header CRC. The index covers every message of the log range [CoveredFrom,
/// CoveredTo); the entries CRC is over entries 1..EntryCount, the slots CRC over the slot table (valid with
/// <see cref="IndexFileFlags.SlotsComplete"/>), the header CRC over everything before it. BeginTimestamp is the first
/// entry's store time (the base of the entries' time deltas); Min/EndTimestamp bound every entry's store time.
/// </summary>
internal readonly record struct IndexFileHeader(
    int SlotCount,
    int EntryCapacity,
    int EntryCount,
    IndexFileFlags Flags,
    long BeginTimestamp,
    long EndTimestamp,
    long BeginPhysicalOffset,
    long EndPhysicalOffset,
    long CoveredFrom,
    long CoveredTo,
    uint EntriesCrc,
    uint SlotsCrc,
    long MinTimestamp)
{
    public const int Size = 96;
    private const uint Magic = 0x524D5149; // "RMQI"
    private const int Version = 1;
    private const int CrcOffset = 88;

    public static IndexFileHeader Empty(int slotCount, int entryCapacity, long coveredFrom) =>
        new(slotCount, entryCapacity, 0, IndexFileFlags.None, 0, 0, 0, 0, coveredFrom, coveredFrom, Crc32C.Compute([]), 0, 0);

    public bool IsSealed => (Flags & IndexFileFlags.Sealed) != 0;

    /// <summary>Bytes of a file with this geometry.</summary>
    public static long FileBytes(int slotCount, int entryCapacity) =>
        Size + (4L * slotCount) + ((long)IndexEntry.Size * entryCapacity);

    public void WriteTo(Span<byte> destination)
    {
        destination = destination[..Size];
        destination.Clear();
        BinaryPrimitives.WriteUInt32BigEndian(destination, Magic);
        BinaryPrimitives.WriteInt32BigEndian(destination[4..], Version);
        BinaryPrimitives.WriteInt32BigEndian(destination[8..], SlotCount);
        BinaryPrimitives.WriteInt32BigEndian(destination[12..], EntryCapacity);
        BinaryPrimitives.WriteInt32BigEndian(destination[16..], EntryCount);
        BinaryPrimitives.WriteUInt32BigEndian(destination[20..], (uint)Flags);
        BinaryPrimitives.WriteInt64BigEndian(destination[24..], BeginTimestamp);
        BinaryPrimitives.WriteInt64BigEndian(destination[32..], EndTimestamp);
        BinaryPrimitives.WriteInt64BigEndian(destination[40..], BeginPhysicalOffset);
        BinaryPrimitives.WriteInt64BigEndian(destination[48..], EndPhysicalOffset);
        BinaryPrimitives.WriteInt64BigEndian(destination[56..], CoveredFrom);
        BinaryPrimitives.WriteInt64BigEndian(destination[64..], CoveredTo);
        BinaryPrimitives.WriteUInt32BigEndian(destination[72..], EntriesCrc);
        BinaryPrimitives.WriteUInt32BigEndian(destination[76..], SlotsCrc);
        BinaryPrimitives.WriteInt64BigEndian(destination[80..], MinTimestamp);
        BinaryPrimitives.WriteUInt32BigEndian(destination[CrcOffset..], Crc32C.Compute(destination[..CrcOffset]));
    }

    /// <summary>Parses a header; null with the reason when it is damaged or describes an impossible file.</summary>
    public static IndexFileHeader? TryRead(ReadOnlySpan<byte> source, long fileLength, out string? problem)
    {
        problem = null;
        if (source.Length < Size) return Fail("shorter than its header", out problem);
        if (BinaryPrimitives.ReadUInt32BigEndian(source) != Magic) return Fail("bad magic", out problem);
        if (BinaryPrimitives.ReadUInt32BigEndian(source[CrcOffset..]) != Crc32C.Compute(source[..CrcOffset]))
            return Fail("header checksum mismatch", out problem);
        if (BinaryPrimitives.ReadInt32BigEndian(source[4..]) != Version) return Fail("unknown version", out problem);
        var header = new IndexFileHeader(
            BinaryPrimitives.ReadInt32BigEndian(source[8..]),
            BinaryPrimitives.ReadInt32BigEndian(source[12..]),
            BinaryPrimitives.ReadInt32BigEndian(source[16..]),
            (IndexFileFlags)BinaryPrimitives.ReadUInt32BigEndian(source[20..]),
            BinaryPrimitives.ReadInt64BigEndian(source[24..]),
            BinaryPrimitives.ReadInt64BigEndian(source[32..]),
            BinaryPrimitives.ReadInt64BigEndian(source[40..]),
            BinaryPrimitives.ReadInt64BigEndian(source[48..]),
            BinaryPrimitives.ReadInt64BigEndian(source[56..]),
            BinaryPrimitives.ReadInt64BigEndian(source[64..]),
            BinaryPrimitives.ReadUInt32BigEndian(source[72..]),
            BinaryPrimitives.ReadUInt32BigEndian(source[76..]),
            BinaryPrimitives.ReadInt64BigEndian(source[80..]));
        if (header.SlotCount < 1 || header.EntryCapacity < 1) return Fail("empty geometry", out problem);
        if (FileBytes(header.SlotCount, header.EntryCapacity) != fileLength) return Fail("file length differs from its geometry", out problem);
        if (header.EntryCount < 0 || header.EntryCount > header.EntryCapacity) return Fail("entry count outside the capacity", out problem);
        if (header.CoveredTo < header.CoveredFrom) return Fail("covered range ends before it begins", out problem);
        return header;
    }

    private static IndexFileHeader? Fail(string reason, out string? problem)
    {
        problem = reason;
        return null;
    }
}

/// <summary>One indexed key (20 bytes, big-endian): key hash | physical offset | store time in seconds after the
/// file's begin timestamp | number of the previous entry in the same slot (0: none).</summary>
internal readonly record struct IndexEntry(int KeyHash, long PhysicalOffset, int TimeDeltaSeconds, int Previous)
{
    public const int Size = 20;

    public void WriteTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteInt32BigEndian(destination, KeyHash);
        BinaryPrimitives.WriteInt64BigEndian(destination[4..], PhysicalOffset);
        BinaryPrimitives.WriteInt32BigEndian(destination[12..], TimeDeltaSeconds);
        BinaryPrimitives.WriteInt32BigEndian(destination[16..], Previous);
    }

    public static IndexEntry Read(ReadOnlySpan<byte> source) => new(
        BinaryPrimitives.ReadInt32BigEndian(source),
        BinaryPrimitives.ReadInt64BigEndian(source[4..]),
        BinaryPrimitives.ReadInt32BigEndian(source[12..]),
        BinaryPrimitives.ReadInt32BigEndian(source[16..]));
}
