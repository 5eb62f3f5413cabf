using static RaftMq.Protocol.Headers.HeaderFields;

namespace RaftMq.Protocol.Headers;

/// <summary>CONSUMER_SEND_MSG_BACK (36) request (§5.6).</summary>
public readonly record struct ConsumerSendMsgBackRequestHeader
{
    /// <summary>CommitLog physical offset of the failed message.</summary>
    public required long Offset { get; init; }

    public required string Group { get; init; }

    /// <summary>0: the broker decides (3 + reconsumeTimes); negative: straight to the DLQ.</summary>
    public required int DelayLevel { get; init; }

    public string? OriginMsgId { get; init; }

    public string? OriginTopic { get; init; }

    public bool UnitMode { get; init; }

    /// <summary>Honoured only when the request version is at least 3.4.9 (121).</summary>
    public int? MaxReconsumeTimes { get; init; }

    public static ConsumerSendMsgBackRequestHeader FromExtFields(StringMap fields) => new()
    {
        Offset = RequiredInt64(fields, "offset"),
        Group = RequiredString(fields, "group"),
        DelayLevel = RequiredInt32(fields, "delayLevel"),
        OriginMsgId = OptionalString(fields, "originMsgId"),
        OriginTopic = OptionalString(fields, "originTopic"),
        UnitMode = OptionalBoolean(fields, "unitMode") ?? false,
        MaxReconsumeTimes = OptionalInt32(fields, "maxReconsumeTimes"),
    };

    public void ToExtFields(StringMap fields)
    {
        Put(fields, "offset", Offset);
        Put(fields, "group", Group);
        Put(fields, "delayLevel", DelayLevel);
        PutIfNotNull(fields, "originMsgId", OriginMsgId);
        PutIfNotNull(fields, "originTopic", OriginTopic);
        Put(fields, "unitMode", UnitMode);
        PutIfNotNull(fields, "maxReconsumeTimes", MaxReconsumeTimes);
    }
}

/// <summary>END_TRANSACTION (37) request (§5.7), sent oneway by Java clients.</summary>
public readonly record struct EndTransactionRequestHeader
{
    public required string ProducerGroup { get; init; }

    /// <summary>Queue offset of the half message.</summary>
    public required long TranStateTableOffset { get; init; }

    /// <summary>Physical offset of the half message.</summary>
    public required long CommitLogOffset { get; init; }

    /// <summary><see cref="Codes.TransactionCommitOrRollback"/>: 0, 8 or 12; anything else is rejected.</summary>
    public required int CommitOrRollback { get; init; }

    public bool FromTransactionCheck { get; init; }

    /// <summary>UNIQ_KEY of the half message.</summary>
    public required string MsgId { get; init; }

    public string? TransactionId { get; init; }

    public static EndTransactionRequestHeader FromExtFields(StringMap fields) => new()
    {
        ProducerGroup = RequiredString(fields, "producerGroup"),
        TranStateTableOffset = RequiredInt64(fields, "tranStateTableOffset"),
        CommitLogOffset = RequiredInt64(fields, "commitLogOffset"),
        CommitOrRollback = RequiredInt32(fields, "commitOrRollback"),
        FromTransactionCheck = OptionalBoolean(fields, "fromTransactionCheck") ?? false,
        MsgId = RequiredString(fields, "msgId"),
        TransactionId = OptionalString(fields, "transactionId"),
    };

    public void ToExtFields(StringMap fields)
    {
        Put(fields, "producerGroup", ProducerGroup);
        Put(fields, "tranStateTableOffset", TranStateTableOffset);
        Put(fields, "commitLogOffset", CommitLogOffset);
        Put(fields, "commitOrRollback", CommitOrRollback);
        Put(fields, "fromTransactionCheck", FromTransactionCheck);
        Put(fields, "msgId", MsgId);
        PutIfNotNull(fields, "transactionId", TransactionId);
    }
}

/// <summary>CHECK_TRANSACTION_STATE (39, broker to producer, oneway) request (§5.8).</summary>
public readonly record struct CheckTransactionStateRequestHeader
{
    public required long TranStateTableOffset { get; init; }

    public required long CommitLogOffset { get; init; }

    /// <summary>UNIQ_KEY of the half message.</summary>
    public string? MsgId { get; init; }

    public string? TransactionId { get; init; }

    public string? OffsetMsgId { get; init; }

    public static CheckTransactionStateRequestHeader FromExtFields(StringMap fields) => new()
    {
        TranStateTableOffset = RequiredInt64(fields, "tranStateTableOffset"),
        CommitLogOffset = RequiredInt64(fields, "commitLogOffset"),
        MsgId = OptionalString(fields, "msgId"),
        TransactionId = OptionalString(fields, "transactionId"),
        OffsetMsgId = OptionalString(fields, "offsetMsgId"),
    };

    public void ToExtFields(StringMap fields)
    {
        Put(fields, "tranStateTableOffset", TranStateTableOffset);
        Put(fields, "commitLogOffset", CommitLogOffset);
        PutIfNotNull(fields, "msgId", MsgId);
        PutIfNotNull(fields, "transactionId", TransactionId);
        PutIfNotNull(fields, "offsetMsgId", OffsetMsgId);
    }
}
