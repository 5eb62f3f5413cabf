using static RaftMq.Protocol.Headers.HeaderFields;

namespace RaftMq.Protocol.Headers;

/// <summary>QUERY_CONSUMER_OFFSET (14) request.</summary>
public readonly record struct QueryConsumerOffsetRequestHeader
{
    public required string ConsumerGroup { get; init; }

    public required string Topic { get; init; }

    public required int QueueId { get; init; }

    public static QueryConsumerOffsetRequestHeader FromExtFields(StringMap fields) => new()
    {
        ConsumerGroup = RequiredString(fields, "consumerGroup"),
        Topic = RequiredString(fields, "topic"),
        QueueId = RequiredInt32(fields, "queueId"),
    };

    public void ToExtFields(StringMap fields)
    {
        Put(fields, "consumerGroup", ConsumerGroup);
        Put(fields, "topic", Topic);
        Put(fields, "queueId", QueueId);
    }
}

/// <summary>UPDATE_CONSUMER_OFFSET (15) request.</summary>
public readonly record struct UpdateConsumerOffsetRequestHeader
{
    public required string ConsumerGroup { get; init; }

    public required string Topic { get; init; }

    public required int QueueId { get; init; }

    public required long CommitOffset { get; init; }

    public static UpdateConsumerOffsetRequestHeader FromExtFields(StringMap fields) => new()
    {
        ConsumerGroup = RequiredString(fields, "consumerGroup"),
        Topic = RequiredString(fields, "topic"),
        QueueId = RequiredInt32(fields, "queueId"),
        CommitOffset = RequiredInt64(fields, "commitOffset"),
    };

    public void ToExtFields(StringMap fields)
    {
        Put(fields, "consumerGroup", ConsumerGroup);
        Put(fields, "topic", Topic);
        Put(fields, "queueId", QueueId);
        Put(fields, "commitOffset", CommitOffset);
    }
}

/// <summary>
/// topic + queueId: the request header of GET_MAX_OFFSET (30), GET_MIN_OFFSET (31) and
/// GET_EARLIEST_MSG_STORETIME (32) (three identical Java classes).
/// </summary>
public readonly record struct TopicQueueRequestHeader
{
    public required string Topic { get; init; }

    public required int QueueId { get; init; }

    public static TopicQueueRequestHeader FromExtFields(StringMap fields) => new()
    {
        Topic = RequiredString(fields, "topic"),
        QueueId = RequiredInt32(fields, "queueId"),
    };

    public void ToExtFields(StringMap fields)
    {
        Put(fields, "topic", Topic);
        Put(fields, "queueId", QueueId);
    }
}

/// <summary>SEARCH_OFFSET_BY_TIMESTAMP (29) request; timestamp in ms.</summary>
public readonly record struct SearchOffsetRequestHeader
{
    public required string Topic { get; init; }

    public required int QueueId { get; init; }

    public required long Timestamp { get; init; }

    public static SearchOffsetRequestHeader FromExtFields(StringMap fields) => new()
    {
        Topic = RequiredString(fields, "topic"),
        QueueId = RequiredInt32(fields, "queueId"),
        Timestamp = RequiredInt64(fields, "timestamp"),
    };

    public void ToExtFields(StringMap fields)
    {
        Put(fields, "topic", Topic);
        Put(fields, "queueId", QueueId);
        Put(fields, "timestamp", Timestamp);
    }
}

/// <summary>
/// <c>offset</c>: the reply header of QUERY_CONSUMER_OFFSET, GET_MAX_OFFSET, GET_MIN_OFFSET and
/// SEARCH_OFFSET_BY_TIMESTAMP.
/// </summary>
public readonly record struct OffsetResponseHeader
{
    public required long Offset { get; init; }

    public static OffsetResponseHeader FromExtFields(StringMap fields) => new() { Offset = RequiredInt64(fields, "offset") };

    public void ToExtFields(StringMap fields) => Put(fields, "offset", Offset);
}

/// <summary><c>timestamp</c>: the reply header of GET_EARLIEST_MSG_STORETIME.</summary>
public readonly record struct TimestampResponseHeader
{
    public required long Timestamp { get; init; }

    public static TimestampResponseHeader FromExtFields(StringMap fields) =>
        new() { Timestamp = RequiredInt64(fields, "timestamp") };

    public void ToExtFields(StringMap fields) => Put(fields, "timestamp", Timestamp);
}
