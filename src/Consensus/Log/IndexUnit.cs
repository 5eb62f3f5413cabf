using System.Buffers.Binary;
using RaftMq.Foundation.Checksums;
using RaftMq.Consensus.Core;

namespace RaftMq.Consensus.Log;

/// <summary>
/// Where entry <c>index</c> lives. Stored as a 32-byte unit at byte <c>index * 32</c> of the index file space
/// (big-endian): pos 8 | term 8 | entry size 4 | type 4 | low 32 bits of the index 4 | CRC32C of bytes [0,28) 4.
/// The index bits make a unit read from the wrong slot fail its check; an all-zero (never written) unit fails the CRC.
/// </summary>
internal readonly record struct IndexUnit(long Pos, long Term, int EntrySize, EntryType Type)
{
    public const int Size = 32;

    public long EndPos => Pos + EntrySize;

    public static IndexUnit Of(LogEntry entry) => new(entry.Pos, entry.Term, entry.Size, entry.Type);

    public void Encode(long index, Span<byte> destination)
    {
        BinaryPrimitives.WriteInt64BigEndian(destination, Pos);
        BinaryPrimitives.WriteInt64BigEndian(destination[8..], Term);
        BinaryPrimitives.WriteInt32BigEndian(destination[16..], EntrySize);
        BinaryPrimitives.WriteInt32BigEndian(destination[20..], (int)Type);
        BinaryPrimitives.WriteInt32BigEndian(destination[24..], (int)index);
        BinaryPrimitives.WriteUInt32BigEndian(destination[28..], Crc32C.Compute(destination[..28]));
    }

    /// <summary>Decodes the unit for <paramref name="index"/>; false when the bytes fail the self-check.</summary>
    public static bool TryDecode(long index, ReadOnlySpan<byte> source, out IndexUnit unit)
    {
        unit = default;
        if (source.Length < Size) return false;
        if (BinaryPrimitives.ReadUInt32BigEndian(source[28..]) != Crc32C.Compute(source[..28])) return false;
        if (BinaryPrimitives.ReadInt32BigEndian(source[24..]) != (int)index) return false;
        unit = new IndexUnit(
            BinaryPrimitives.ReadInt64BigEndian(source),
            BinaryPrimitives.ReadInt64BigEndian(source[8..]),
            BinaryPrimitives.ReadInt32BigEndian(source[16..]),
            (EntryType)BinaryPrimitives.ReadInt32BigEndian(source[20..]));
        return true;
    }

    public bool Matches(in EntryHeader header) =>
        header.Pos == Pos && header.Term == Term && header.Size == EntrySize && header.Type == Type;
}
