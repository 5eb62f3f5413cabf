using System.Buffers.Binary;

namespace RaftMq.Protocol.Messages;

/// <summary>
/// The SEND_BATCH_MESSAGE body (§7.4): per message <c>int32 TOTALSIZE | int32 MAGIC (0) | int32 BODYCRC (0) |
/// int32 FLAG | int32 BODYLEN + body | int16 PROPLEN + properties</c>, back to back. All messages share the
/// request's topic.
/// </summary>
public static class BatchMessageCodec
{
    /// <summary>Size without body and properties.</summary>
    public const int FixedSize = 4 + 4 + 4 + 4 + 4 + 2;

    public static int GetEncodedLength(int bodyLength, int propertiesLength) => FixedSize + bodyLength + propertiesLength;

    /// <summary>Appends one message into <paramref name="destination"/>; returns the bytes written.</summary>
    public static int Encode(Span<byte> destination, int flag, ReadOnlySpan<byte> body, ReadOnlySpan<byte> propertiesUtf8)
    {
        if (propertiesUtf8.Length > short.MaxValue)
        {
            throw new ArgumentException($"Properties of {propertiesUtf8.Length} bytes exceed {short.MaxValue}.", nameof(propertiesUtf8));
        }
        int size = GetEncodedLength(body.Length, propertiesUtf8.Length);
        if (destination.Length < size)
        {
            throw new ArgumentException($"Destination holds {destination.Length} bytes, the message needs {size}.", nameof(destination));
        }
        BinaryPrimitives.WriteInt32BigEndian(destination, size);
        BinaryPrimitives.WriteInt32BigEndian(destination[4..], 0);
        BinaryPrimitives.WriteInt32BigEndian(destination[8..], 0);
        BinaryPrimitives.WriteInt32BigEndian(destination[12..], flag);
        BinaryPrimitives.WriteInt32BigEndian(destination[16..], body.Length);
        body.CopyTo(destination[20..]);
        BinaryPrimitives.WriteInt16BigEndian(destination[(20 + body.Length)..], (short)propertiesUtf8.Length);
        propertiesUtf8.CopyTo(destination[(22 + body.Length)..]);
        return size;
    }

    /// <summary>Iterates the messages of a batch body; malformed input throws <see cref="MessageFormatException"/>.</summary>
    public static BatchMessageEnumerator ReadAll(ReadOnlySpan<byte> body) => new(body);

    /// <summary>Reads the message at the start of <paramref name="buffer"/>.</summary>
    public static BatchMessageView Read(ReadOnlySpan<byte> buffer)
    {
        if (buffer.Length < FixedSize) throw Bad($"needs at least {FixedSize} bytes, got {buffer.Length}");
        int totalSize = BinaryPrimitives.ReadInt32BigEndian(buffer);
        if (totalSize < FixedSize || totalSize > buffer.Length) throw Bad($"TOTALSIZE {totalSize} exceeds the batch");
        int bodyLength = BinaryPrimitives.ReadInt32BigEndian(buffer[16..]);
        if (bodyLength < 0 || bodyLength > totalSize - FixedSize) throw Bad($"body length {bodyLength} exceeds the message");
        int propertiesLength = BinaryPrimitives.ReadInt16BigEndian(buffer[(20 + bodyLength)..]);
        if (propertiesLength < 0 || FixedSize + bodyLength + propertiesLength != totalSize)
        {
            throw Bad($"TOTALSIZE {totalSize} does not match body {bodyLength} + properties {propertiesLength}");
        }
        return new BatchMessageView(
            BinaryPrimitives.ReadInt32BigEndian(buffer[12..]),
            buffer.Slice(20, bodyLength),
            buffer.Slice(22 + bodyLength, propertiesLength),
            totalSize);
    }

    private static MessageFormatException Bad(string reason) => new("Malformed batch message: " + reason + ".");
}

/// <summary>One message of a batch body, sliced without copying.</summary>
public readonly ref struct BatchMessageView
{
    internal BatchMessageView(int flag, ReadOnlySpan<byte> body, ReadOnlySpan<byte> propertiesUtf8, int encodedSize)
    {
        Flag = flag;
        Body = body;
        PropertiesUtf8 = propertiesUtf8;
        EncodedSize = encodedSize;
    }

    public int Flag { get; }

    public ReadOnlySpan<byte> Body { get; }

    public ReadOnlySpan<byte> PropertiesUtf8 { get; }

    /// <summary>TOTALSIZE of this element.</summary>
    public int EncodedSize { get; }
}

public ref struct BatchMessageEnumerator
{
    private ReadOnlySpan<byte> _remaining;

    internal BatchMessageEnumerator(ReadOnlySpan<byte> body)
    {
        _remaining = body;
        Current = default;
    }

    public BatchMessageView Current { get; private set; }

    public readonly BatchMessageEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        if (_remaining.IsEmpty) return false;
        Current = BatchMessageCodec.Read(_remaining);
        _remaining = _remaining[Current.EncodedSize..];
        return true;
    }
}
