using System.Buffers.Binary;
using System.Text;

namespace RaftMq.Consensus.Wire;

/// <summary>Bounds-checked big-endian reader: every read names its field in the <see cref="FormatException"/>.</summary>
internal ref struct WireReader(ReadOnlySpan<byte> source)
{
    private readonly ReadOnlySpan<byte> _source = source;
    private int _position;

    public readonly int Remaining => _source.Length - _position;

    public byte Byte(string field) => Take(1, field)[0];

    public int Int(string field) => BinaryPrimitives.ReadInt32BigEndian(Take(4, field));

    public long NonNegativeLong(string field)
    {
        long value = BinaryPrimitives.ReadInt64BigEndian(Take(8, field));
        if (value < 0) throw new FormatException($"{field} is negative ({value})");
        return value;
    }

    public string String(string field, Encoding encoding)
    {
        int length = BinaryPrimitives.ReadUInt16BigEndian(Take(2, field + " length"));
        ReadOnlySpan<byte> bytes = Take(length, field);
        try
        {
            return encoding.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new FormatException($"{field} is not valid UTF-8", e);
        }
    }

    public void Skip(int count, string field) => Take(count, field);

    /// <summary>Skips an i32-length-prefixed block; returns its length.</summary>
    public int SkipBlock(string field)
    {
        int length = BlockLength(field);
        Take(length, field);
        return length;
    }

    /// <summary>Copies an i32-length-prefixed block into <paramref name="data"/> at <paramref name="offset"/>.</summary>
    public ReadOnlyMemory<byte> Block(string field, byte[] data, ref int offset)
    {
        int length = BlockLength(field);
        Take(length, field).CopyTo(data.AsSpan(offset));
        var block = new ReadOnlyMemory<byte>(data, offset, length);
        offset += length;
        return block;
    }

    private int BlockLength(string field)
    {
        int length = Int(field + " length");
        if (length < 0 || length > Remaining)
            throw new FormatException($"{field} length {length} exceeds the {Remaining} remaining bytes");
        return length;
    }

    private ReadOnlySpan<byte> Take(int count, string field)
    {
        if (count > Remaining) throw new FormatException($"message truncated in {field}: {count} bytes needed, {Remaining} left");
        ReadOnlySpan<byte> slice = _source.Slice(_position, count);
        _position += count;
        return slice;
    }
}

/// <summary>Big-endian writer over a span the caller has sized with <see cref="MessageCodec.GetEncodedSize"/>.</summary>
internal ref struct SpanWriter(Span<byte> destination)
{
    private readonly Span<byte> _destination = destination;

    public int Position { get; private set; }

    public void Byte(byte value) => _destination[Position++] = value;

    public void Int(int value)
    {
        BinaryPrimitives.WriteInt32BigEndian(_destination[Position..], value);
        Position += 4;
    }

    public void UInt(uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(_destination[Position..], value);
        Position += 4;
    }

    public void Long(long value)
    {
        BinaryPrimitives.WriteInt64BigEndian(_destination[Position..], value);
        Position += 8;
    }

    public void String(string value)
    {
        int length = Encoding.UTF8.GetBytes(value, _destination[(Position + 2)..]);
        BinaryPrimitives.WriteUInt16BigEndian(_destination[Position..], (ushort)length);
        Position += 2 + length;
    }

    /// <summary>An i32-length-prefixed block.</summary>
    public void Bytes(ReadOnlySpan<byte> value)
    {
        Int(value.Length);
        value.CopyTo(_destination[Position..]);
        Position += value.Length;
    }
}
