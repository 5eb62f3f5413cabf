using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace RaftMq.Protocol.Bodies;

/// <summary>
/// GET_TOPIC_STATS_INFO (202) reply body. RocketMQ's fastjson form keys a map by MessageQueue objects, which is not
/// JSON; RaftMq sends the same data as a list (documented in RaftMq's docs/design/broker-processors.md).
/// </summary>
public sealed class TopicStatsBody : IJsonBody<TopicStatsBody>
{
    [JsonPropertyName("offsetTable")]
    public List<TopicQueueStats> OffsetTable { get; set; } = [];

    static JsonTypeInfo<TopicStatsBody> IJsonBody<TopicStatsBody>.TypeInfo => AdminJsonContext.Default.TopicStatsBody;
}

public sealed class TopicQueueStats
{
    [JsonPropertyName("messageQueue")]
    public MessageQueue MessageQueue { get; set; } = new();

    [JsonPropertyName("minOffset")]
    public long MinOffset { get; set; }

    [JsonPropertyName("maxOffset")]
    public long MaxOffset { get; set; }

    /// <summary>Store time of the earliest retained message, -1 when the queue is empty.</summary>
    [JsonPropertyName("lastUpdateTimestamp")]
    public long LastUpdateTimestamp { get; set; }
}

/// <summary>GET_CONSUME_STATS (208) reply body: per queue, the broker's max offset and the group's committed offset.</summary>
public sealed class ConsumeStatsBody : IJsonBody<ConsumeStatsBody>
{
    [JsonPropertyName("consumeTps")]
    public double ConsumeTps { get; set; }

    [JsonPropertyName("offsetTable")]
    public List<ConsumerQueueProgress> OffsetTable { get; set; } = [];

    static JsonTypeInfo<ConsumeStatsBody> IJsonBody<ConsumeStatsBody>.TypeInfo => AdminJsonContext.Default.ConsumeStatsBody;
}

/// <summary>GET_BROKER_CONSUME_STATS (317) reply: per consumer group known to the broker, one consume stats per topic, and
/// the sum of every queue's diff (broker offset - consumer offset).</summary>
public sealed class ConsumeStatsList : IJsonBody<ConsumeStatsList>
{
    /// <summary>RocketMQ's shape: a list of maps group -> stats per topic (RaftMq puts one group in each map).</summary>
    [JsonPropertyName("consumeStatsList")]
    public List<Dictionary<string, List<ConsumeStatsBody>>> Groups { get; set; } = [];

    [JsonPropertyName("brokerAddr")]
    public string BrokerAddr { get; set; } = "";

    [JsonPropertyName("totalDiff")]
    public long TotalDiff { get; set; }

    static JsonTypeInfo<ConsumeStatsList> IJsonBody<ConsumeStatsList>.TypeInfo => AdminJsonContext.Default.ConsumeStatsList;
}

public sealed class ConsumerQueueProgress
{
    [JsonPropertyName("messageQueue")]
    public MessageQueue MessageQueue { get; set; } = new();

    [JsonPropertyName("brokerOffset")]
    public long BrokerOffset { get; set; }

    /// <summary>0 when the group never committed an offset for the queue (as RocketMQ reports it).</summary>
    [JsonPropertyName("consumerOffset")]
    public long ConsumerOffset { get; set; }

    [JsonPropertyName("lastTimestamp")]
    public long LastTimestamp { get; set; }
}

/// <summary>
/// GET_ALL_DELAY_OFFSET (45) reply body: per delay level ("1".."18"), the next SCHEDULE_TOPIC_XXXX offset to deliver,
/// as RocketMQ's delayOffset.json. fastjson writes the level keys unquoted; RaftMq sends standard JSON strings.
/// </summary>
public sealed class DelayOffsetBody : IJsonBody<DelayOffsetBody>
{
    [JsonPropertyName("offsetTable")]
    public Dictionary<string, long> OffsetTable { get; set; } = [];

    static JsonTypeInfo<DelayOffsetBody> IJsonBody<DelayOffsetBody>.TypeInfo => AdminJsonContext.Default.DelayOffsetBody;
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, PropertyNameCaseInsensitive = true,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(TopicStatsBody))]
[JsonSerializable(typeof(ConsumeStatsBody))]
[JsonSerializable(typeof(ConsumeStatsList))]
[JsonSerializable(typeof(DelayOffsetBody))]
internal sealed partial class AdminJsonContext : JsonSerializerContext;
