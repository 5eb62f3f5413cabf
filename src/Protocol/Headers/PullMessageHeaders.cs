using static RaftMq.Protocol.Headers.HeaderFields;

namespace RaftMq.Protocol.Headers;

/// <summary>PULL_MESSAGE (11) request (§5.3).</summary>
public readonly record struct PullMessageRequestHeader
{
    public required string ConsumerGroup { get; init; }

    public required string Topic { get; init; }

    public required int QueueId { get; init; }

    public required long QueueOffset { get; init; }

    public required int MaxMsgNums { get; init; }

    /// <summary><see cref="Codes.PullSysFlag"/> bits.</summary>
    public required int SysFlag { get; init; }

    public required long CommitOffset { get; init; }

    public required long SuspendTimeoutMillis { get; init; }

    /// <summary>Subscription expression, used when <see cref="Codes.PullSysFlag.Subscription"/> is set.</summary>
    public string? Subscription { get; init; }

    public required long SubVersion { get; init; }

    /// <summary>"TAG" (default when absent) or "SQL92".</summary>
    public string? ExpressionType { get; init; }

    public static PullMessageRequestHeader FromExtFields(StringMap fields) => new()
    {
        ConsumerGroup = RequiredString(fields, "consumerGroup"),
        Topic = RequiredString(fields, "topic"),
        QueueId = RequiredInt32(fields, "queueId"),
        QueueOffset = RequiredInt64(fields, "queueOffset"),
        MaxMsgNums = RequiredInt32(fields, "maxMsgNums"),
        SysFlag = RequiredInt32(fields, "sysFlag"),
        CommitOffset = RequiredInt64(fields, "commitOffset"),
        SuspendTimeoutMillis = RequiredInt64(fields, "suspendTimeoutMillis"),
        Subscription = OptionalString(fields, "subscription"),
        SubVersion = RequiredInt64(fields, "subVersion"),
        ExpressionType = OptionalString(fields, "expressionType"),
    };

    public void ToExtFields(StringMap fields)
    {
        Put(fields, "consumerGroup", ConsumerGroup);
        Put(fields, "topic", Topic);
        Put(fields, "queueId", QueueId);
        Put(fields, "queueOffset", QueueOffset);
        Put(fields, "maxMsgNums", MaxMsgNums);
        Put(fields, "sysFlag", SysFlag);
        Put(fields, "commitOffset", CommitOffset);
        Put(fields, "suspendTimeoutMillis", SuspendTimeoutMillis);
        PutIfNotNull(fields, "subscription", Subscription);
        Put(fields, "subVersion", SubVersion);
        PutIfNotNull(fields, "expressionType", ExpressionType);
    }
}

/// <summary>PULL_MESSAGE reply (§5.4); all four fields must be set on 0/19/20/21 or clients compute NaN offsets.</summary>
public readonly record struct PullMessageResponseHeader
{
    public required long SuggestWhichBrokerId { get; init; }

    public required long NextBeginOffset { get; init; }

    public required long MinOffset { get; init; }

    public required long MaxOffset { get; init; }

    public static PullMessageResponseHeader FromExtFields(StringMap fields) => new()
    {
        SuggestWhichBrokerId = RequiredInt64(fields, "suggestWhichBrokerId"),
        NextBeginOffset = RequiredInt64(fields, "nextBeginOffset"),
        MinOffset = RequiredInt64(fields, "minOffset"),
        MaxOffset = RequiredInt64(fields, "maxOffset"),
    };

    public void ToExtFields(StringMap fields)
    {
        Put(fields, "suggestWhichBrokerId", SuggestWhichBrokerId);
        Put(fields, "nextBeginOffset", NextBeginOffset);
        Put(fields, "minOffset", MinOffset);
        Put(fields, "maxOffset", MaxOffset);
    }
}
