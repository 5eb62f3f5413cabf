using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace RaftMq.Protocol.Bodies;

/// <summary>Body of the QUERY_CONSUME_QUEUE (321) reply, RocketMQ's QueryConsumeQueueResponseBody.</summary>
public sealed class QueryConsumeQueueResponseBody : IJsonBody<QueryConsumeQueueResponseBody>
{
    /// <summary>The asked group's subscription of the topic as its online consumers registered it; null without a group or when
    /// none is online.</summary>
    [JsonPropertyName("subscriptionData")]
    public SubscriptionData? SubscriptionData { get; set; }

    /// <summary>RocketMQ's filter description: <c>group@topic is not online!</c> when the group has no online consumer of the
    /// topic, the SQL92 expression for a SQL92 subscription; null otherwise.</summary>
    [JsonPropertyName("filterData")]
    public string? FilterData { get; set; }

    [JsonPropertyName("queueData")]
    public List<ConsumeQueueData>? QueueData { get; set; }

    /// <summary>The queue's max offset (the index the next unit gets).</summary>
    [JsonPropertyName("maxQueueIndex")]
    public long MaxQueueIndex { get; set; }

    /// <summary>The queue's min offset (the first unit whose message is still stored).</summary>
    [JsonPropertyName("minQueueIndex")]
    public long MinQueueIndex { get; set; }

    static JsonTypeInfo<QueryConsumeQueueResponseBody> IJsonBody<QueryConsumeQueueResponseBody>.TypeInfo =>
        ConsumeQueueJsonContext.Default.QueryConsumeQueueResponseBody;
}

/// <summary>One ConsumeQueue unit, RocketMQ's ConsumeQueueData; <see cref="StoreTimestamp"/> is RaftMq's addition.</summary>
public sealed class ConsumeQueueData
{
    /// <summary>CommitLog offset of the message.</summary>
    [JsonPropertyName("physicOffset")]
    public long PhysicOffset { get; set; }

    /// <summary>Size of the stored message in bytes.</summary>
    [JsonPropertyName("physicSize")]
    public int PhysicSize { get; set; }

    /// <summary>Hash of the message's tag (Java String.hashCode), what tag filters compare.</summary>
    [JsonPropertyName("tagsCode")]
    public long TagsCode { get; set; }

    /// <summary>RocketMQ's ConsumeQueue extension unit (bloom filter data); RaftMq keeps none, always null.</summary>
    [JsonPropertyName("extendDataJson")]
    public string? ExtendDataJson { get; set; }

    /// <summary>The extension unit's filter bit map; always null in RaftMq.</summary>
    [JsonPropertyName("bitMap")]
    public string? BitMap { get; set; }

    /// <summary>Whether the asked group's tag subscription accepts the unit's tag hash (false without a group, for a group not
    /// online, and for SQL92 subscriptions, which need the message itself).</summary>
    [JsonPropertyName("eval")]
    public bool Eval { get; set; }

    /// <summary>A problem with the unit; null when none.</summary>
    [JsonPropertyName("msg")]
    public string? Msg { get; set; }

    /// <summary>RaftMq's addition: when the broker stored the message (ms since 1970), -1 when it is no longer stored.</summary>
    [JsonPropertyName("storeTimestamp")]
    public long StoreTimestamp { get; set; } = -1;
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, PropertyNameCaseInsensitive = true,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(QueryConsumeQueueResponseBody))]
internal sealed partial class ConsumeQueueJsonContext : JsonSerializerContext;
