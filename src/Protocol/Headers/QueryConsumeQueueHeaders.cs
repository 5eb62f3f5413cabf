using static RaftMq.Protocol.Headers.HeaderFields;

namespace RaftMq.Protocol.Headers;

/// <summary>QUERY_CONSUME_QUEUE (321) request, RocketMQ's QueryConsumeQueueRequestHeader: <see cref="Count"/> units of the
/// queue from unit <see cref="Index"/>; with <see cref="ConsumerGroup"/> the answer also says whether that group's
/// subscription accepts each unit.</summary>
public readonly record struct QueryConsumeQueueRequestHeader
{
    public required string Topic { get; init; }

    public required int QueueId { get; init; }

    public required long Index { get; init; }

    public required int Count { get; init; }

    public string? ConsumerGroup { get; init; }

    public static QueryConsumeQueueRequestHeader FromExtFields(StringMap fields) => new()
    {
        Topic = RequiredString(fields, "topic"),
        QueueId = RequiredInt32(fields, "queueId"),
        Index = RequiredInt64(fields, "index"),
        Count = RequiredInt32(fields, "count"),
        ConsumerGroup = OptionalString(fields, "consumerGroup"),
    };

    public void ToExtFields(StringMap fields)
    {
        Put(fields, "topic", Topic);
        Put(fields, "queueId", QueueId);
        Put(fields, "index", Index);
        Put(fields, "count", Count);
        if (ConsumerGroup is not null) Put(fields, "consumerGroup", ConsumerGroup);
    }
}
