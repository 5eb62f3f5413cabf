namespace RaftMq.Client.Trace;

/// <summary>The kinds of RocketMQ 4.x trace records (the Java client's <c>TraceType</c> names are the wire text).</summary>
public enum TraceType
{
    /// <summary>A producer's send.</summary>
    Pub,

    /// <summary>A consumer received the message and is about to hand it to the listener.</summary>
    SubBefore,

    /// <summary>The listener returned (cost, success, return type).</summary>
    SubAfter,

    /// <summary>A transactional message's commit or rollback.</summary>
    EndTransaction,
}

/// <summary>
/// One trace record of one message, with the fields RocketMQ's trace data format carries for its <see cref="Type"/>
/// (docs/trace.md lists which). Text fields the Java client leaves unset are written as "null", as Java does.
/// </summary>
public sealed record TraceRecord
{
    /// <summary>Which record this is; it decides the fields written.</summary>
    public required TraceType Type { get; init; }

    /// <summary>Unix ms: send start (Pub), consume start (SubBefore), or the SubBefore's start echoed (SubAfter).</summary>
    public long Timestamp { get; init; }

    /// <summary>The broker region (MSG_REGION, "DefaultRegion").</summary>
    public string? RegionId { get; init; }

    /// <summary>Producer group (Pub) or consumer group (SubBefore).</summary>
    public string? GroupName { get; init; }

    /// <summary>Pairs a SubBefore with its SubAfter.</summary>
    public string? RequestId { get; init; }

    /// <summary>The traced message's topic.</summary>
    public string? Topic { get; init; }

    /// <summary>The traced message's id (UNIQ_KEY).</summary>
    public string? MsgId { get; init; }

    /// <summary>The traced message's tag.</summary>
    public string? Tags { get; init; }

    /// <summary>The traced message's keys, space separated.</summary>
    public string? Keys { get; init; }

    /// <summary>Broker address the message was sent to (Pub).</summary>
    public string? StoreHost { get; init; }

    /// <summary>Body bytes of the traced message (Pub).</summary>
    public int BodyLength { get; init; }

    /// <summary>Milliseconds: send round trip (Pub) or listener time per message (SubAfter).</summary>
    public int CostTime { get; init; }

    /// <summary>RocketMQ MessageType ordinal: 0 normal, 1 transaction half, 2 transaction commit, 3 delay.</summary>
    public int MessageType { get; init; }

    /// <summary>The broker's offset message id (store host + CommitLog offset) from the send reply (Pub).</summary>
    public string? OffsetMsgId { get; init; }

    /// <summary>SEND_OK (Pub), or the listener consumed the message (SubAfter).</summary>
    public bool Success { get; init; }

    /// <summary>Reconsume times of the delivered message (SubBefore).</summary>
    public int RetryTimes { get; init; }

    /// <summary>RocketMQ ConsumeReturnType ordinal: 0 SUCCESS, 1 TIME_OUT, 2 EXCEPTION, 3 RETURNNULL, 4 FAILED (SubAfter).</summary>
    public int ContextCode { get; init; }

    /// <summary>Producer host (Pub), when the record carries it (older clients append it).</summary>
    public string? ClientHost { get; init; }

    /// <summary>EndTransaction: the transaction id.</summary>
    public string? TransactionId { get; init; }

    /// <summary>EndTransaction: COMMIT_MESSAGE, ROLLBACK_MESSAGE or UNKNOW.</summary>
    public string? TransactionState { get; init; }

    /// <summary>EndTransaction: a broker check-back decided it.</summary>
    public bool FromTransactionCheck { get; init; }
}
