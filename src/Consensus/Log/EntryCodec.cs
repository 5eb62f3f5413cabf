using System.Buffers.Binary;
using RaftMq.Foundation.Checksums;
using RaftMq.Consensus.Core;

namespace RaftMq.Consensus.Log;

/// <summary>Outcome of checking stored bytes against the entry layout and the log's invariants.</summary>
public enum EntryCheck : byte
{
    Ok,

    /// <summary>Fewer bytes are available than the header or the declared size needs (typical of a torn tail).</summary>
    TooShort,

    /// <summary>The magic/type field is not a known <see cref="EntryType"/>.</summary>
    BadMagic,

    /// <summary>Total size and body length disagree, or are out of range.</summary>
    BadSize,

    HeaderCrc,
    BodyCrc,

    /// <summary>The pos field differs from the byte position the entry was found at.</summary>
    PosMismatch,

    /// <summary>The index is not previous index + 1.</summary>
    IndexNotContiguous,

    /// <summary>The term is lower than the previous entry's term.</summary>
    TermDecreasing,

    /// <summary>The entry disagrees with its index unit (pos, size, term or type).</summary>
    IndexUnitMismatch,
}

/// <summary>A decoded entry header (see <see cref="EntryLayout"/>).</summary>
public readonly record struct EntryHeader(EntryType Type, int Size, long Index, long Term, long Pos, uint BodyCrc, int BodyLength);

/// <summary>
/// Encodes and verifies entries in the layout documented on <see cref="EntryLayout"/> (big-endian):
/// type 4 | size 4 | index 8 | term 8 | pos 8 | reserved 4 | header CRC32C 4 | body CRC32C 4 | body length 4 | body.
/// The header CRC covers bytes [0,36) and [40,48), so it also protects the body CRC and the body length.
/// </summary>
public static class EntryCodec
{
    public const int HeaderSize = EntryLayout.HeaderSize;
    public const int MaxBodyLength = int.MaxValue - HeaderSize;

    private const int HeaderCrcOffset = 36;

    /// <summary>Writes <paramref name="entry"/> into the first <see cref="LogEntry.Size"/> bytes of <paramref name="destination"/>.</summary>
    public static void Encode(LogEntry entry, Span<byte> destination) =>
        Encode(entry.Index, entry.Term, entry.Pos, entry.Type, entry.Body.Span, destination);

    public static void Encode(long index, long term, long pos, EntryType type, ReadOnlySpan<byte> body, Span<byte> destination)
    {
        if (body.Length > MaxBodyLength) throw new ArgumentException($"entry body of {body.Length} bytes is too large", nameof(body));
        int size = HeaderSize + body.Length;
        if (destination.Length < size) throw new ArgumentException($"destination holds {destination.Length} bytes, the entry needs {size}", nameof(destination));
        BinaryPrimitives.WriteInt32BigEndian(destination, (int)type);
        BinaryPrimitives.WriteInt32BigEndian(destination[4..], size);
        BinaryPrimitives.WriteInt64BigEndian(destination[8..], index);
        BinaryPrimitives.WriteInt64BigEndian(destination[16..], term);
        BinaryPrimitives.WriteInt64BigEndian(destination[24..], pos);
        BinaryPrimitives.WriteInt32BigEndian(destination[32..], 0);
        BinaryPrimitives.WriteUInt32BigEndian(destination[40..], Crc32C.Compute(body));
        BinaryPrimitives.WriteInt32BigEndian(destination[44..], body.Length);
        BinaryPrimitives.WriteUInt32BigEndian(destination[HeaderCrcOffset..], HeaderCrc(destination));
        body.CopyTo(destination[HeaderSize..]);
    }

    /// <summary>Reads and self-checks a header (magic, header CRC, size fields). Does not look at the body.</summary>
    public static EntryCheck TryReadHeader(ReadOnlySpan<byte> source, out EntryHeader header)
    {
        header = default;
        if (source.Length < HeaderSize) return EntryCheck.TooShort;
        int magic = BinaryPrimitives.ReadInt32BigEndian(source);
        if (magic != (int)EntryType.Normal && magic != (int)EntryType.Noop) return EntryCheck.BadMagic;
        if (BinaryPrimitives.ReadUInt32BigEndian(source[HeaderCrcOffset..]) != HeaderCrc(source)) return EntryCheck.HeaderCrc;
        int size = BinaryPrimitives.ReadInt32BigEndian(source[4..]);
        int bodyLength = BinaryPrimitives.ReadInt32BigEndian(source[44..]);
        if (bodyLength < 0 || bodyLength > MaxBodyLength || size != HeaderSize + bodyLength) return EntryCheck.BadSize;
        header = new EntryHeader(
            (EntryType)magic,
            size,
            BinaryPrimitives.ReadInt64BigEndian(source[8..]),
            BinaryPrimitives.ReadInt64BigEndian(source[16..]),
            BinaryPrimitives.ReadInt64BigEndian(source[24..]),
            BinaryPrimitives.ReadUInt32BigEndian(source[40..]),
            bodyLength);
        return EntryCheck.Ok;
    }

    public static EntryCheck VerifyBody(in EntryHeader header, ReadOnlySpan<byte> body)
    {
        if (body.Length < header.BodyLength) return EntryCheck.TooShort;
        return Crc32C.Compute(body[..header.BodyLength]) == header.BodyCrc ? EntryCheck.Ok : EntryCheck.BodyCrc;
    }

    /// <summary>
    /// Fully verifies the entry at the start of <paramref name="source"/>: header, body CRC, and that it sits at
    /// <paramref name="expectedPos"/> with index <paramref name="expectedIndex"/>.
    /// </summary>
    public static EntryCheck Verify(ReadOnlySpan<byte> source, long expectedPos, long expectedIndex, out EntryHeader header)
    {
        var check = TryReadHeader(source, out header);
        if (check != EntryCheck.Ok) return check;
        if (source.Length < header.Size) return EntryCheck.TooShort;
        check = VerifyBody(header, source[HeaderSize..header.Size]);
        if (check != EntryCheck.Ok) return check;
        if (header.Pos != expectedPos) return EntryCheck.PosMismatch;
        return header.Index == expectedIndex ? EntryCheck.Ok : EntryCheck.IndexNotContiguous;
    }

    /// <summary>Verifies like <see cref="Verify"/> and returns the entry with its body copied out.</summary>
    public static EntryCheck TryDecode(ReadOnlySpan<byte> source, long expectedPos, long expectedIndex, out LogEntry? entry)
    {
        entry = null;
        var check = Verify(source, expectedPos, expectedIndex, out var header);
        if (check != EntryCheck.Ok) return check;
        entry = new LogEntry(header.Index, header.Term, header.Pos, header.Type, source[HeaderSize..header.Size].ToArray());
        return EntryCheck.Ok;
    }

    private static uint HeaderCrc(ReadOnlySpan<byte> header) =>
        Crc32C.Append(Crc32C.Compute(header[..HeaderCrcOffset]), header[(HeaderCrcOffset + 4)..HeaderSize]);
}
