using System.Buffers.Binary;

namespace RaftMq.Broker.Store.Control;

/// <summary>Kinds of control entries in the log (docs/design/broker.md, "Control records").</summary>
public enum ControlRecordType : short
{
    TopicUpsert = 1,
    TopicDelete = 2,
    ConsumerOffsets = 3,

    /// <summary>Ends a pending transaction without a message (END_TRANSACTION rollback).</summary>
    TransactionRollback = 4,

    /// <summary>The complete plain-ACL rules (JSON of PlainAclConfig), replacing the previous ones.</summary>
    AclConfig = 5,

    /// <summary>A consumer group's subscription settings (JSON of SubscriptionGroupConfig), replacing earlier ones.</summary>
    SubscriptionGroupUpsert = 6,

    /// <summary>Removes a consumer group's subscription settings (the group falls back to the defaults).</summary>
    SubscriptionGroupDelete = 7,

    /// <summary>Drops the ConsumeQueues, consumer offsets and key-index hits of the named topics that are not in the topic
    /// table (deleteTopic, cleanUnusedTopic); JSON of TopicQueuesDropPayload.</summary>
    TopicQueuesDrop = 8,
}

/// <summary>
/// Framing of a control entry body: <c>int32 totalSize | int32 magic "RQMC" | int16 recordType | payload</c>
/// (big-endian, like the stored message it sits beside in the log).
/// </summary>
public static class ControlRecord
{
    /// <summary>"RQMC".</summary>
    public const int MagicCode = 0x52514D43;

    public const int HeaderSize = 10;

    public static byte[] Encode(ControlRecordType type, ReadOnlySpan<byte> payload)
    {
        var record = new byte[HeaderSize + payload.Length];
        BinaryPrimitives.WriteInt32BigEndian(record, record.Length);
        BinaryPrimitives.WriteInt32BigEndian(record.AsSpan(4), MagicCode);
        BinaryPrimitives.WriteInt16BigEndian(record.AsSpan(8), (short)type);
        payload.CopyTo(record.AsSpan(HeaderSize));
        return record;
    }

    /// <summary>True when <paramref name="body"/> starts with the control magic (whatever else is in it).</summary>
    public static bool HasMagic(ReadOnlySpan<byte> body) =>
        body.Length >= 8 && BinaryPrimitives.ReadInt32BigEndian(body[4..]) == MagicCode;

    /// <summary>Splits a control entry; false when the framing is inconsistent.</summary>
    public static bool TryParse(ReadOnlyMemory<byte> body, out ControlRecordType type, out ReadOnlyMemory<byte> payload)
    {
        var span = body.Span;
        type = default;
        payload = default;
        if (span.Length < HeaderSize || !HasMagic(span) || BinaryPrimitives.ReadInt32BigEndian(span) != span.Length) return false;
        type = (ControlRecordType)BinaryPrimitives.ReadInt16BigEndian(span[8..]);
        payload = body[HeaderSize..];
        return true;
    }
}
