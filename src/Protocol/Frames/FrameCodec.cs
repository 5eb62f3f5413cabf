using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using RaftMq.Protocol.Headers;

namespace RaftMq.Protocol.Frames;

/// <summary>
/// The remoting frame: <c>int32 LEN | int32 (serializeType &lt;&lt; 24 | headerLength) | header | body</c>, big-endian,
/// LEN = 4 + headerLength + bodyLength (it does not count itself).
/// </summary>
public static class FrameCodec
{
    /// <summary>Java's default <c>com.rocketmq.remoting.frameMaxLength</c>: 16 MiB including the length prefix.</summary>
    public const int DefaultMaxFrameLength = 16 * 1024 * 1024;

    /// <summary>Bytes before the header: the length prefix and the serialize-type/header-length word.</summary>
    public const int PrefixLength = 8;

    private const int MaxHeaderLength = 0xFFFFFF;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_headerScratch;

    /// <summary>
    /// Decodes the first frame of <paramref name="buffer"/> and slices it off. Returns false (buffer untouched) when
    /// the frame is not complete yet. Throws <see cref="RemotingFrameException"/> as soon as the prefix shows the
    /// frame is invalid, so an oversized length is rejected before its bytes arrive. The body is copied into a new
    /// array that the command owns.
    /// </summary>
    public static bool TryDecode(
        ref ReadOnlySequence<byte> buffer, int maxFrameLength, [NotNullWhen(true)] out RemotingCommand? command)
    {
        command = null;
        if (buffer.Length < 4) return false;
        Span<byte> prefix = stackalloc byte[4];
        buffer.Slice(0, 4).CopyTo(prefix);
        int length = ValidateLength(BinaryPrimitives.ReadInt32BigEndian(prefix), maxFrameLength);
        if (buffer.Length < 4L + length) return false;
        var frame = buffer.Slice(4, length);
        if (frame.IsSingleSegment)
        {
            command = DecodeContent(frame.FirstSpan);
        }
        else
        {
            byte[] rented = ArrayPool<byte>.Shared.Rent(length);
            try
            {
                frame.CopyTo(rented);
                command = DecodeContent(rented.AsSpan(0, length));
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
        buffer = buffer.Slice(4 + length);
        return true;
    }

    /// <summary>Decodes exactly one complete frame, length prefix included.</summary>
    public static RemotingCommand Decode(ReadOnlySpan<byte> frame, int maxFrameLength = DefaultMaxFrameLength)
    {
        if (frame.Length < 4) throw new RemotingFrameException(FrameError.InvalidLength, "Frame shorter than its length prefix.");
        int length = ValidateLength(BinaryPrimitives.ReadInt32BigEndian(frame), maxFrameLength);
        if (frame.Length - 4 < length)
        {
            throw new RemotingFrameException(
                FrameError.InvalidLength, $"Frame announces {length} bytes but only {frame.Length - 4} follow.");
        }
        if (frame.Length - 4 > length)
        {
            throw new RemotingFrameException(FrameError.TrailingBytes, $"{frame.Length - 4 - length} bytes after the frame.");
        }
        return DecodeContent(frame[4..]);
    }

    /// <summary>Writes the whole frame of <paramref name="command"/> to <paramref name="output"/>.</summary>
    public static void Encode(RemotingCommand command, IBufferWriter<byte> output)
    {
        var header = t_headerScratch ??= new ArrayBufferWriter<byte>(512);
        header.ResetWrittenCount();
        if (command.SerializeType == SerializeType.RocketMq) RocketMqHeaderCodec.Write(command, header);
        else JsonHeaderCodec.Write(command, header);

        var headerBytes = header.WrittenSpan;
        if (headerBytes.Length > MaxHeaderLength)
        {
            throw new RemotingFrameException(FrameError.InvalidHeaderLength, $"Header of {headerBytes.Length} bytes exceeds 24 bits.");
        }
        var body = command.Body.Span;
        var prefix = output.GetSpan(PrefixLength);
        BinaryPrimitives.WriteInt32BigEndian(prefix, 4 + headerBytes.Length + body.Length);
        BinaryPrimitives.WriteInt32BigEndian(prefix[4..], ((int)command.SerializeType << 24) | headerBytes.Length);
        output.Advance(PrefixLength);
        output.Write(headerBytes);
        if (!body.IsEmpty) output.Write(body);

        // A rare huge header must not pin a big scratch array to this thread forever.
        if (header.Capacity > 64 * 1024) t_headerScratch = null;
    }

    /// <summary>The frame of <paramref name="command"/> as a new array (tests, tools).</summary>
    public static byte[] Encode(RemotingCommand command)
    {
        var output = new ArrayBufferWriter<byte>(256 + command.Body.Length);
        Encode(command, output);
        return output.WrittenSpan.ToArray();
    }

    private static int ValidateLength(int length, int maxFrameLength)
    {
        if (length < 4)
        {
            throw new RemotingFrameException(FrameError.InvalidLength, $"Frame length {length} is below the minimum of 4.");
        }
        if ((long)length + 4 > maxFrameLength)
        {
            throw new RemotingFrameException(
                FrameError.TooLarge, $"Frame of {(long)length + 4} bytes exceeds the maximum of {maxFrameLength}.");
        }
        return length;
    }

    /// <summary>Decodes the part after the length prefix: header-length word, header, body.</summary>
    private static RemotingCommand DecodeContent(ReadOnlySpan<byte> content)
    {
        int word = BinaryPrimitives.ReadInt32BigEndian(content);
        int serializeType = (word >> 24) & 0xFF;
        int headerLength = word & MaxHeaderLength;
        if (headerLength > content.Length - 4)
        {
            throw new RemotingFrameException(
                FrameError.InvalidHeaderLength, $"Header length {headerLength} exceeds the frame ({content.Length - 4} bytes).");
        }
        var header = content.Slice(4, headerLength);
        var command = new RemotingCommand { Language = default, Version = 0 };
        switch (serializeType)
        {
            case (int)SerializeType.Json:
                JsonHeaderCodec.Read(header, command);
                break;
            case (int)SerializeType.RocketMq:
                command.SerializeType = SerializeType.RocketMq;
                RocketMqHeaderCodec.Read(header, command);
                break;
            default:
                throw new RemotingFrameException(FrameError.UnknownSerializeType, $"Unknown serialize type {serializeType}.");
        }
        var body = content[(4 + headerLength)..];
        command.Body = body.IsEmpty ? ReadOnlyMemory<byte>.Empty : body.ToArray();
        return command;
    }
}
