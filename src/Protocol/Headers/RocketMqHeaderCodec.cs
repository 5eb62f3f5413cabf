using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Frames;

namespace RaftMq.Protocol.Headers;

/// <summary>
/// RocketMQ's binary header (serialize type 1), big-endian:
/// <c>int16 code | int8 language | int16 version | int32 opaque | int32 flag | int32 remarkLen + remark |
/// int32 extLen + ext</c>, ext = repeated <c>int16 keyLen + key | int32 valueLen + value</c> (UTF-8).
/// A zero-length remark means null.
/// </summary>
public static class RocketMqHeaderCodec
{
    private const int FixedPartLength = 2 + 1 + 2 + 4 + 4 + 4 + 4;

    /// <summary>Exact number of bytes <see cref="Write"/> produces.</summary>
    public static int GetLength(RemotingCommand command)
    {
        int length = FixedPartLength + (command.Remark is null ? 0 : Encoding.UTF8.GetByteCount(command.Remark));
        if (command.ExtFieldsOrNull is { } fields)
        {
            foreach (var field in fields)
            {
                length += 2 + Encoding.UTF8.GetByteCount(field.Key) + 4 + Encoding.UTF8.GetByteCount(field.Value);
            }
        }
        return length;
    }

    public static void Write(RemotingCommand command, IBufferWriter<byte> output)
    {
        int length = GetLength(command);
        var span = output.GetSpan(length)[..length];
        BinaryPrimitives.WriteInt16BigEndian(span, (short)command.Code);
        span[2] = (byte)command.Language;
        BinaryPrimitives.WriteInt16BigEndian(span[3..], (short)command.Version);
        BinaryPrimitives.WriteInt32BigEndian(span[5..], command.Opaque);
        BinaryPrimitives.WriteInt32BigEndian(span[9..], command.Flag);
        int position = 13;
        int remarkLength = command.Remark is null ? 0 : Encoding.UTF8.GetBytes(command.Remark, span[(position + 4)..]);
        BinaryPrimitives.WriteInt32BigEndian(span[position..], remarkLength);
        position += 4 + remarkLength;
        int extLengthAt = position;
        position += 4;
        if (command.ExtFieldsOrNull is { } fields)
        {
            foreach (var field in fields)
            {
                int keyLength = Encoding.UTF8.GetBytes(field.Key, span[(position + 2)..]);
                BinaryPrimitives.WriteInt16BigEndian(span[position..], (short)keyLength);
                position += 2 + keyLength;
                int valueLength = Encoding.UTF8.GetBytes(field.Value, span[(position + 4)..]);
                BinaryPrimitives.WriteInt32BigEndian(span[position..], valueLength);
                position += 4 + valueLength;
            }
        }
        BinaryPrimitives.WriteInt32BigEndian(span[extLengthAt..], position - extLengthAt - 4);
        output.Advance(length);
    }

    /// <summary>Parses a binary header into <paramref name="target"/>; bad lengths throw <see cref="RemotingFrameException"/>.</summary>
    public static void Read(ReadOnlySpan<byte> header, RemotingCommand target)
    {
        if (header.Length < FixedPartLength) throw Malformed("shorter than the fixed part");
        target.Code = BinaryPrimitives.ReadInt16BigEndian(header);
        target.Language = LanguageCodeNames.FromCode(header[2]);
        target.Version = BinaryPrimitives.ReadInt16BigEndian(header[3..]);
        target.Opaque = BinaryPrimitives.ReadInt32BigEndian(header[5..]);
        target.Flag = BinaryPrimitives.ReadInt32BigEndian(header[9..]);
        var rest = header[13..];
        var remark = ReadBlock(ref rest, "remark");
        if (remark.Length > HeaderLimits.MaxValueBytes) throw Malformed($"remark of {remark.Length} bytes exceeds {HeaderLimits.MaxValueBytes}");
        target.Remark = remark.IsEmpty ? null : DecodeUtf8(remark);
        var ext = ReadBlock(ref rest, "extFields");
        if (!rest.IsEmpty) throw Malformed("bytes after the extFields block");
        if (!ext.IsEmpty) ReadExtFields(ext, target.ExtFields);
    }

    private static void ReadExtFields(ReadOnlySpan<byte> ext, StringMap fields)
    {
        int count = 0;
        while (!ext.IsEmpty)
        {
            if (++count > HeaderLimits.MaxExtFields) throw Malformed($"more than {HeaderLimits.MaxExtFields} extFields");
            if (ext.Length < 2) throw Malformed("truncated extFields key length");
            int keyLength = BinaryPrimitives.ReadInt16BigEndian(ext);
            if (keyLength < 0 || ext.Length < 2 + keyLength + 4) throw Malformed("extFields key exceeds the block");
            if (keyLength > HeaderLimits.MaxKeyBytes) throw Malformed($"extFields key of {keyLength} bytes exceeds {HeaderLimits.MaxKeyBytes}");
            string key = HeaderKeyCache.GetOrCreate(ext.Slice(2, keyLength));
            ext = ext[(2 + keyLength)..];
            int valueLength = BinaryPrimitives.ReadInt32BigEndian(ext);
            if (valueLength < 0 || valueLength > ext.Length - 4) throw Malformed("extFields value exceeds the block");
            if (valueLength > HeaderLimits.MaxValueBytes) throw Malformed($"extFields value of {valueLength} bytes exceeds {HeaderLimits.MaxValueBytes}");
            fields.Set(key, DecodeUtf8(ext.Slice(4, valueLength)));
            ext = ext[(4 + valueLength)..];
        }
    }

    private static ReadOnlySpan<byte> ReadBlock(ref ReadOnlySpan<byte> rest, string what)
    {
        if (rest.Length < 4) throw Malformed($"missing {what} length");
        int length = BinaryPrimitives.ReadInt32BigEndian(rest);
        if (length < 0 || length > rest.Length - 4) throw Malformed($"{what} length {length} exceeds the header");
        var block = rest.Slice(4, length);
        rest = rest[(4 + length)..];
        return block;
    }

    // Java decodes with replacement characters rather than failing; so do we.
    private static string DecodeUtf8(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);

    private static RemotingFrameException Malformed(string reason, Exception? inner = null) =>
        new(FrameError.MalformedHeader, "Malformed ROCKETMQ binary header: " + reason, inner);
}
