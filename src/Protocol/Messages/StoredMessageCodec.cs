using System.Buffers.Binary;
using System.Text;
using RaftMq.Foundation.Checksums;
using RaftMq.Protocol.Codes;
using static RaftMq.Protocol.Messages.StoredMessageLayout;

namespace RaftMq.Protocol.Messages;

/// <summary>
/// Writes stored message records into caller-provided spans (no allocation) and patches fields of an encoded
/// record in place, e.g. QUEUEOFFSET in the copy a pull response sends.
/// </summary>
public static class StoredMessageCodec
{
    /// <summary>
    /// Encodes one record into <paramref name="destination"/> and returns its size. BODYCRC is computed from
    /// <paramref name="body"/> (stored exactly as received, compressed or not).
    /// </summary>
    public static int Encode(
        Span<byte> destination,
        in StoredMessageFields fields,
        ReadOnlySpan<byte> body,
        ReadOnlySpan<byte> topicUtf8,
        ReadOnlySpan<byte> propertiesUtf8)
    {
        ValidateSizes(fields.SysFlag, topicUtf8.Length, propertiesUtf8.Length);
        int size = StoredMessageLayout.GetRecordSize(body.Length, topicUtf8.Length, propertiesUtf8.Length);
        if (destination.Length < size)
        {
            throw new ArgumentException($"Destination holds {destination.Length} bytes, the record needs {size}.", nameof(destination));
        }
        var record = destination[..size];
        WriteFixedPart(record, fields, size, Crc32Ieee.BodyCrc(body));
        BinaryPrimitives.WriteInt32BigEndian(record[BodyLengthOffset..], body.Length);
        body.CopyTo(record[BodyOffset..]);
        int position = BodyOffset + body.Length;
        record[position++] = (byte)topicUtf8.Length;
        topicUtf8.CopyTo(record[position..]);
        position += topicUtf8.Length;
        BinaryPrimitives.WriteInt16BigEndian(record[position..], (short)propertiesUtf8.Length);
        propertiesUtf8.CopyTo(record[(position + 2)..]);
        return size;
    }

    /// <summary>Record size for a topic and property string given as text.</summary>
    public static int GetRecordSize(int bodyLength, string topic, string? properties) =>
        StoredMessageLayout.GetRecordSize(
            bodyLength, Encoding.UTF8.GetByteCount(topic), properties is null ? 0 : Encoding.UTF8.GetByteCount(properties));

    /// <summary>Encodes with topic and properties given as text, transcoding straight into the destination.</summary>
    public static int Encode(
        Span<byte> destination, in StoredMessageFields fields, ReadOnlySpan<byte> body, string topic, string? properties)
    {
        int topicLength = Encoding.UTF8.GetByteCount(topic);
        int propertiesLength = properties is null ? 0 : Encoding.UTF8.GetByteCount(properties);
        ValidateSizes(fields.SysFlag, topicLength, propertiesLength);
        int size = StoredMessageLayout.GetRecordSize(body.Length, topicLength, propertiesLength);
        if (destination.Length < size)
        {
            throw new ArgumentException($"Destination holds {destination.Length} bytes, the record needs {size}.", nameof(destination));
        }
        int topicAt = BodyOffset + body.Length + 1;
        Encoding.UTF8.GetBytes(topic, destination[topicAt..]);
        if (properties is not null) Encoding.UTF8.GetBytes(properties, destination[(topicAt + topicLength + 2)..]);
        // Topic and properties are already in place; Encode copies them onto themselves, which is harmless.
        return Encode(
            destination, fields, body, destination.Slice(topicAt, topicLength),
            destination.Slice(topicAt + topicLength + 2, propertiesLength));
    }

    public static void PatchQueueOffset(Span<byte> record, long queueOffset) =>
        BinaryPrimitives.WriteInt64BigEndian(record[QueueOffsetOffset..], queueOffset);

    public static void PatchPhysicalOffset(Span<byte> record, long physicalOffset) =>
        BinaryPrimitives.WriteInt64BigEndian(record[PhysicalOffsetOffset..], physicalOffset);

    public static void PatchStoreTimestamp(Span<byte> record, long storeTimestamp) =>
        BinaryPrimitives.WriteInt64BigEndian(record[StoreTimestampOffset..], storeTimestamp);

    public static void PatchStoreHost(Span<byte> record, MessageHost storeHost) =>
        storeHost.Write(record[StoreHostOffset..]);

    public static void PatchQueueId(Span<byte> record, int queueId) =>
        BinaryPrimitives.WriteInt32BigEndian(record[QueueIdOffset..], queueId);

    public static void PatchSysFlag(Span<byte> record, int sysFlag) =>
        BinaryPrimitives.WriteInt32BigEndian(record[SysFlagOffset..], sysFlag);

    /// <summary>CHECK_TRANSACTION_STATE sends the half message with TOTALSIZE 0.</summary>
    public static void PatchTotalSize(Span<byte> record, int totalSize) =>
        BinaryPrimitives.WriteInt32BigEndian(record[TotalSizeOffset..], totalSize);

    private static void WriteFixedPart(Span<byte> record, in StoredMessageFields fields, int size, int bodyCrc)
    {
        BinaryPrimitives.WriteInt32BigEndian(record, size);
        BinaryPrimitives.WriteInt32BigEndian(record[MagicCodeOffset..], MessageMagicCode);
        BinaryPrimitives.WriteInt32BigEndian(record[BodyCrcOffset..], bodyCrc);
        BinaryPrimitives.WriteInt32BigEndian(record[QueueIdOffset..], fields.QueueId);
        BinaryPrimitives.WriteInt32BigEndian(record[FlagOffset..], fields.Flag);
        BinaryPrimitives.WriteInt64BigEndian(record[QueueOffsetOffset..], fields.QueueOffset);
        BinaryPrimitives.WriteInt64BigEndian(record[PhysicalOffsetOffset..], fields.PhysicalOffset);
        BinaryPrimitives.WriteInt32BigEndian(record[SysFlagOffset..], fields.SysFlag);
        BinaryPrimitives.WriteInt64BigEndian(record[BornTimestampOffset..], fields.BornTimestamp);
        fields.BornHost.Write(record[BornHostOffset..]);
        BinaryPrimitives.WriteInt64BigEndian(record[StoreTimestampOffset..], fields.StoreTimestamp);
        fields.StoreHost.Write(record[StoreHostOffset..]);
        BinaryPrimitives.WriteInt32BigEndian(record[ReconsumeTimesOffset..], fields.ReconsumeTimes);
        BinaryPrimitives.WriteInt64BigEndian(record[PreparedTransactionOffsetOffset..], fields.PreparedTransactionOffset);
    }

    private static void ValidateSizes(int sysFlag, int topicLength, int propertiesLength)
    {
        if ((sysFlag & (MessageSysFlag.BornHostV6 | MessageSysFlag.StoreHostV6)) != 0)
        {
            throw new ArgumentException("IPv6 host bits are set; RaftMq stores IPv4 hosts only (ali-ons compatibility).");
        }
        if (topicLength > MaxTopicLength)
        {
            throw new ArgumentException($"Topic of {topicLength} UTF-8 bytes exceeds {MaxTopicLength}.");
        }
        if (propertiesLength > MaxPropertiesLength)
        {
            throw new ArgumentException($"Properties of {propertiesLength} UTF-8 bytes exceed {MaxPropertiesLength}.");
        }
    }
}
