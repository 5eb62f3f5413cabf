using System.Globalization;
using System.Text;
using RaftMq.Protocol;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Messages;

namespace RaftMq.Broker.Processors.Transaction;

/// <summary>
/// The records of a transaction's life, all in the stored layout (docs/transactions.md): the half message (in
/// <c>RMQ_SYS_TRANS_HALF_TOPIC</c> queue 0, REAL_TOPIC/REAL_QID naming where it goes), a check's copy of it, the
/// committed real message and the discarded copy. Every record written after the half message carries the half
/// message's physical offset in PREPARED_TX_OFFSET, which is how applying it finds the transaction.
/// </summary>
internal static class HalfMessages
{
    /// <summary>The producer's properties plus the real destination, TRAN_MSG and PGROUP (DELAY dropped, as RocketMQ's
    /// producer does for transactional messages).</summary>
    public static string Properties(string? original, string realTopic, int realQueueId, string producerGroup)
    {
        var properties = MessageProperties.Parse(original);
        properties.Remove(MessageProperty.DelayTimeLevel);
        properties.Set(MessageProperty.RealTopic, realTopic);
        properties.Set(MessageProperty.RealQueueId, realQueueId.ToString(CultureInfo.InvariantCulture));
        properties.Set(MessageProperty.TransactionPrepared, "true");
        if (string.IsNullOrEmpty(properties[MessageProperty.ProducerGroup])) properties.Set(MessageProperty.ProducerGroup, producerGroup);
        return MessageProperties.Encode(properties);
    }

    /// <summary>Where a committed half message goes; false when its REAL_TOPIC/REAL_QID are missing or malformed.</summary>
    public static bool TryGetRealDestination(StringMap properties, out string topic, out int queueId)
    {
        topic = properties[MessageProperty.RealTopic] ?? "";
        queueId = -1;
        return topic.Length > 0
               && int.TryParse(properties[MessageProperty.RealQueueId], NumberStyles.None, CultureInfo.InvariantCulture, out queueId);
    }

    /// <summary>The real message a commit makes visible: producer's body, flags, born fields and properties (without
    /// TRAN_MSG, REAL_TOPIC, REAL_QID), transaction type COMMIT, PREPARED_TX_OFFSET naming the transaction.</summary>
    public static byte[]? Committed(in StoredMessageView half, long halfOffset, long nowMs, MessageHost storeHost)
    {
        var properties = MessageProperties.Parse(half.PropertiesUtf8);
        if (!TryGetRealDestination(properties, out string topic, out int queueId)) return null;
        properties.Remove(MessageProperty.TransactionPrepared);
        properties.Remove(MessageProperty.RealTopic);
        properties.Remove(MessageProperty.RealQueueId);
        var fields = Fields(half, halfOffset, nowMs, storeHost) with
        {
            QueueId = queueId,
            SysFlag = MessageSysFlag.ResetTransactionValue(half.SysFlag, MessageSysFlag.TransactionCommitType),
        };
        return Encode(fields, half.Body, topic, properties);
    }

    /// <summary>A check's copy of a half message, back in the half queue with its check count.</summary>
    public static byte[] CheckedCopy(in StoredMessageView half, long halfOffset, int checkTimes, long nowMs, MessageHost storeHost)
    {
        var properties = MessageProperties.Parse(half.PropertiesUtf8);
        properties.Set(MessageProperty.TransactionCheckTimes, checkTimes.ToString(CultureInfo.InvariantCulture));
        return Encode(Fields(half, halfOffset, nowMs, storeHost) with { QueueId = 0 }, half.Body, SystemNames.TransactionHalfTopic, properties);
    }

    /// <summary>A half message checked too often, parked in <c>TRANS_CHECK_MAX_TIME_TOPIC</c> queue 0 for operators.</summary>
    public static byte[] Discarded(in StoredMessageView half, long halfOffset, long nowMs, MessageHost storeHost) =>
        Encode(Fields(half, halfOffset, nowMs, storeHost) with { QueueId = 0 }, half.Body, SystemNames.TransactionCheckMaxTimeTopic,
            MessageProperties.Parse(half.PropertiesUtf8));

    /// <summary>CHECK_TRANSACTION_STATE body: the half message as the producer sent it (real topic and queue), with the
    /// offsets of the copy being checked.</summary>
    public static byte[]? CheckBody(in StoredMessageView copy)
    {
        var properties = MessageProperties.Parse(copy.PropertiesUtf8);
        if (!TryGetRealDestination(properties, out string topic, out int queueId)) return null;
        return Encode(copy.Fields with { QueueId = queueId }, copy.Body, topic, properties);
    }

    private static StoredMessageFields Fields(in StoredMessageView half, long halfOffset, long nowMs, MessageHost storeHost) => half.Fields with
    {
        QueueOffset = 0,
        PhysicalOffset = 0,
        StoreTimestamp = nowMs,
        StoreHost = storeHost,
        PreparedTransactionOffset = halfOffset,
    };

    private static byte[] Encode(in StoredMessageFields fields, ReadOnlySpan<byte> body, string topic, StringMap properties)
    {
        byte[] topicUtf8 = Encoding.UTF8.GetBytes(topic);
        byte[] propertiesUtf8 = Encoding.UTF8.GetBytes(MessageProperties.Encode(properties));
        var record = new byte[StoredMessageLayout.GetRecordSize(body.Length, topicUtf8.Length, propertiesUtf8.Length)];
        StoredMessageCodec.Encode(record, fields, body, topicUtf8, propertiesUtf8);
        return record;
    }
}
