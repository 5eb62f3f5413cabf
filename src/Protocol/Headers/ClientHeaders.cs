using static RaftMq.Protocol.Headers.HeaderFields;

namespace RaftMq.Protocol.Headers;

/// <summary>UNREGISTER_CLIENT (35) request.</summary>
public readonly record struct UnregisterClientRequestHeader
{
    /// <summary>Key spelled "clientID" on the wire.</summary>
    public required string ClientId { get; init; }

    public string? ProducerGroup { get; init; }

    public string? ConsumerGroup { get; init; }

    public static UnregisterClientRequestHeader FromExtFields(StringMap fields) => new()
    {
        ClientId = RequiredString(fields, "clientID"),
        ProducerGroup = OptionalString(fields, "producerGroup"),
        ConsumerGroup = OptionalString(fields, "consumerGroup"),
    };

    public void ToExtFields(StringMap fields)
    {
        Put(fields, "clientID", ClientId);
        PutIfNotNull(fields, "producerGroup", ProducerGroup);
        PutIfNotNull(fields, "consumerGroup", ConsumerGroup);
    }
}

/// <summary>
/// consumerGroup: the request header of GET_CONSUMER_LIST_BY_GROUP (38) and NOTIFY_CONSUMER_IDS_CHANGED (40).
/// </summary>
public readonly record struct ConsumerGroupRequestHeader
{
    public required string ConsumerGroup { get; init; }

    public static ConsumerGroupRequestHeader FromExtFields(StringMap fields) =>
        new() { ConsumerGroup = RequiredString(fields, "consumerGroup") };

    public void ToExtFields(StringMap fields) => Put(fields, "consumerGroup", ConsumerGroup);
}

/// <summary>VIEW_MESSAGE_BY_ID (33) request: the CommitLog physical offset.</summary>
public readonly record struct ViewMessageRequestHeader
{
    public required long Offset { get; init; }

    public static ViewMessageRequestHeader FromExtFields(StringMap fields) =>
        new() { Offset = RequiredInt64(fields, "offset") };

    public void ToExtFields(StringMap fields) => Put(fields, "offset", Offset);
}

/// <summary>QUERY_MESSAGE (12) request: by key, or by UNIQ_KEY when <see cref="UniqueKeyQuery"/>.</summary>
public readonly record struct QueryMessageRequestHeader
{
    public required string Topic { get; init; }

    public required string Key { get; init; }

    public required int MaxNum { get; init; }

    public required long BeginTimestamp { get; init; }

    public required long EndTimestamp { get; init; }

    /// <summary>extField <c>_UNIQUE_KEY_QUERY</c>: the key is a UNIQ_KEY message id.</summary>
    public bool UniqueKeyQuery { get; init; }

    public static QueryMessageRequestHeader FromExtFields(StringMap fields) => new()
    {
        Topic = RequiredString(fields, "topic"),
        Key = RequiredString(fields, "key"),
        MaxNum = RequiredInt32(fields, "maxNum"),
        BeginTimestamp = RequiredInt64(fields, "beginTimestamp"),
        EndTimestamp = RequiredInt64(fields, "endTimestamp"),
        UniqueKeyQuery = OptionalBoolean(fields, "_UNIQUE_KEY_QUERY") ?? false,
    };

    public void ToExtFields(StringMap fields)
    {
        Put(fields, "topic", Topic);
        Put(fields, "key", Key);
        Put(fields, "maxNum", MaxNum);
        Put(fields, "beginTimestamp", BeginTimestamp);
        Put(fields, "endTimestamp", EndTimestamp);
        Put(fields, "_UNIQUE_KEY_QUERY", UniqueKeyQuery);
    }
}

/// <summary>QUERY_MESSAGE reply.</summary>
public readonly record struct QueryMessageResponseHeader
{
    public required long IndexLastUpdateTimestamp { get; init; }

    public required long IndexLastUpdatePhyoffset { get; init; }

    public static QueryMessageResponseHeader FromExtFields(StringMap fields) => new()
    {
        IndexLastUpdateTimestamp = RequiredInt64(fields, "indexLastUpdateTimestamp"),
        IndexLastUpdatePhyoffset = RequiredInt64(fields, "indexLastUpdatePhyoffset"),
    };

    public void ToExtFields(StringMap fields)
    {
        Put(fields, "indexLastUpdateTimestamp", IndexLastUpdateTimestamp);
        Put(fields, "indexLastUpdatePhyoffset", IndexLastUpdatePhyoffset);
    }
}

/// <summary>UPDATE_AND_CREATE_TOPIC (17) request.</summary>
public readonly record struct CreateTopicRequestHeader
{
    public required string Topic { get; init; }

    public required string DefaultTopic { get; init; }

    public required int ReadQueueNums { get; init; }

    public required int WriteQueueNums { get; init; }

    public required int Perm { get; init; }

    /// <summary>"SINGLE_TAG" or "MULTI_TAG".</summary>
    public required string TopicFilterType { get; init; }

    public int? TopicSysFlag { get; init; }

    public bool Order { get; init; }

    public static CreateTopicRequestHeader FromExtFields(StringMap fields) => new()
    {
        Topic = RequiredString(fields, "topic"),
        DefaultTopic = RequiredString(fields, "defaultTopic"),
        ReadQueueNums = RequiredInt32(fields, "readQueueNums"),
        WriteQueueNums = RequiredInt32(fields, "writeQueueNums"),
        Perm = RequiredInt32(fields, "perm"),
        TopicFilterType = RequiredString(fields, "topicFilterType"),
        TopicSysFlag = OptionalInt32(fields, "topicSysFlag"),
        Order = OptionalBoolean(fields, "order") ?? false,
    };

    public void ToExtFields(StringMap fields)
    {
        Put(fields, "topic", Topic);
        Put(fields, "defaultTopic", DefaultTopic);
        Put(fields, "readQueueNums", ReadQueueNums);
        Put(fields, "writeQueueNums", WriteQueueNums);
        Put(fields, "perm", Perm);
        Put(fields, "topicFilterType", TopicFilterType);
        PutIfNotNull(fields, "topicSysFlag", TopicSysFlag);
        Put(fields, "order", Order);
    }
}
