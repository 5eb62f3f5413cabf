using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Frames;
using static RaftMq.Protocol.Headers.HeaderFields;

namespace RaftMq.Protocol.Headers;

/// <summary>
/// SEND_MESSAGE (10, long field names) and SEND_MESSAGE_V2 / SEND_BATCH_MESSAGE (310/320, one-letter keys a..n):
/// the same data in two spellings.
/// </summary>
public readonly record struct SendMessageRequestHeader
{
    public required string ProducerGroup { get; init; }

    public required string Topic { get; init; }

    /// <summary>Template topic for auto-creation, normally TBW102.</summary>
    public required string DefaultTopic { get; init; }

    public required int DefaultTopicQueueNums { get; init; }

    /// <summary>Negative: the broker picks a writable queue.</summary>
    public required int QueueId { get; init; }

    public required int SysFlag { get; init; }

    public required long BornTimestamp { get; init; }

    /// <summary>User flag, stored as FLAG.</summary>
    public required int Flag { get; init; }

    /// <summary>Message properties in the \u0001/\u0002 encoding.</summary>
    public string? Properties { get; init; }

    public int? ReconsumeTimes { get; init; }

    public bool? UnitMode { get; init; }

    public int? MaxReconsumeTimes { get; init; }

    public bool? Batch { get; init; }

    /// <summary>Target broker name (4.9.5+ clients only).</summary>
    public string? BrokerName { get; init; }

    /// <summary>Reads the spelling that matches the request code (V2 keys for 310 and 320, long names for 10).</summary>
    public static SendMessageRequestHeader FromRequest(RemotingCommand request) =>
        request.Code is RequestCode.SendMessageV2 or RequestCode.SendBatchMessage
            ? FromV2ExtFields(request.ExtFields)
            : FromExtFields(request.ExtFields);

    /// <summary>Reads the long-name (V1) spelling.</summary>
    public static SendMessageRequestHeader FromExtFields(StringMap fields) => new()
    {
        ProducerGroup = RequiredString(fields, "producerGroup"),
        Topic = RequiredString(fields, "topic"),
        DefaultTopic = RequiredString(fields, "defaultTopic"),
        DefaultTopicQueueNums = RequiredInt32(fields, "defaultTopicQueueNums"),
        QueueId = RequiredInt32(fields, "queueId"),
        SysFlag = RequiredInt32(fields, "sysFlag"),
        BornTimestamp = RequiredInt64(fields, "bornTimestamp"),
        Flag = RequiredInt32(fields, "flag"),
        Properties = OptionalString(fields, "properties"),
        ReconsumeTimes = OptionalInt32(fields, "reconsumeTimes"),
        UnitMode = OptionalBoolean(fields, "unitMode"),
        MaxReconsumeTimes = OptionalInt32(fields, "maxReconsumeTimes"),
        Batch = OptionalBoolean(fields, "batch"),
        BrokerName = OptionalString(fields, "bname"),
    };

    /// <summary>Reads the one-letter (V2) spelling.</summary>
    public static SendMessageRequestHeader FromV2ExtFields(StringMap fields) => new()
    {
        ProducerGroup = RequiredString(fields, "a"),
        Topic = RequiredString(fields, "b"),
        DefaultTopic = RequiredString(fields, "c"),
        DefaultTopicQueueNums = RequiredInt32(fields, "d"),
        QueueId = RequiredInt32(fields, "e"),
        SysFlag = RequiredInt32(fields, "f"),
        BornTimestamp = RequiredInt64(fields, "g"),
        Flag = RequiredInt32(fields, "h"),
        Properties = OptionalString(fields, "i"),
        ReconsumeTimes = OptionalInt32(fields, "j"),
        UnitMode = OptionalBoolean(fields, "k"),
        MaxReconsumeTimes = OptionalInt32(fields, "l"),
        Batch = OptionalBoolean(fields, "m"),
        BrokerName = OptionalString(fields, "n"),
    };

    /// <summary>Writes the long-name (V1) spelling.</summary>
    public void ToExtFields(StringMap fields)
    {
        Put(fields, "producerGroup", ProducerGroup);
        Put(fields, "topic", Topic);
        Put(fields, "defaultTopic", DefaultTopic);
        Put(fields, "defaultTopicQueueNums", DefaultTopicQueueNums);
        Put(fields, "queueId", QueueId);
        Put(fields, "sysFlag", SysFlag);
        Put(fields, "bornTimestamp", BornTimestamp);
        Put(fields, "flag", Flag);
        PutIfNotNull(fields, "properties", Properties);
        PutIfNotNull(fields, "reconsumeTimes", ReconsumeTimes);
        PutIfNotNull(fields, "unitMode", UnitMode);
        PutIfNotNull(fields, "maxReconsumeTimes", MaxReconsumeTimes);
        PutIfNotNull(fields, "batch", Batch);
        PutIfNotNull(fields, "bname", BrokerName);
    }

    /// <summary>Writes the one-letter (V2) spelling.</summary>
    public void ToV2ExtFields(StringMap fields)
    {
        Put(fields, "a", ProducerGroup);
        Put(fields, "b", Topic);
        Put(fields, "c", DefaultTopic);
        Put(fields, "d", DefaultTopicQueueNums);
        Put(fields, "e", QueueId);
        Put(fields, "f", SysFlag);
        Put(fields, "g", BornTimestamp);
        Put(fields, "h", Flag);
        PutIfNotNull(fields, "i", Properties);
        PutIfNotNull(fields, "j", ReconsumeTimes);
        PutIfNotNull(fields, "k", UnitMode);
        PutIfNotNull(fields, "l", MaxReconsumeTimes);
        PutIfNotNull(fields, "m", Batch);
        PutIfNotNull(fields, "n", BrokerName);
    }
}

/// <summary>Reply to a send (§5.2). Java brokers also add MSG_REGION and TRACE_ON to the same extFields.</summary>
public readonly record struct SendMessageResponseHeader
{
    /// <summary>The offsetMsgId (comma-joined for a batch).</summary>
    public required string MsgId { get; init; }

    public required int QueueId { get; init; }

    public required long QueueOffset { get; init; }

    public string? TransactionId { get; init; }

    /// <summary>Region id (Java default "DefaultRegion"), extField MSG_REGION.</summary>
    public string? MessageRegion { get; init; }

    /// <summary>"true"/"false", extField TRACE_ON.</summary>
    public string? TraceOn { get; init; }

    public static SendMessageResponseHeader FromExtFields(StringMap fields) => new()
    {
        MsgId = RequiredString(fields, "msgId"),
        QueueId = RequiredInt32(fields, "queueId"),
        QueueOffset = RequiredInt64(fields, "queueOffset"),
        TransactionId = OptionalString(fields, "transactionId"),
        MessageRegion = OptionalString(fields, "MSG_REGION"),
        TraceOn = OptionalString(fields, "TRACE_ON"),
    };

    public void ToExtFields(StringMap fields)
    {
        Put(fields, "msgId", MsgId);
        Put(fields, "queueId", QueueId);
        Put(fields, "queueOffset", QueueOffset);
        PutIfNotNull(fields, "transactionId", TransactionId);
        PutIfNotNull(fields, "MSG_REGION", MessageRegion);
        PutIfNotNull(fields, "TRACE_ON", TraceOn);
    }
}
