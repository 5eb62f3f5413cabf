using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace RaftMq.Protocol.Bodies;

/// <summary>QUERY_TOPIC_CONSUME_BY_WHO (300) reply, RocketMQ's GroupList: the consumer groups that consume a topic (online
/// subscribers or a committed offset on the broker).</summary>
public sealed class GroupList : IJsonBody<GroupList>
{
    [JsonPropertyName("groupList")]
    public List<string> Groups { get; set; } = [];

    static JsonTypeInfo<GroupList> IJsonBody<GroupList>.TypeInfo => StatsJsonContext.Default.GroupList;
}

/// <summary>VIEW_BROKER_STATS_DATA (315) reply, RocketMQ's BrokerStatsData: one runtime statistic of the broker node over
/// the last minute, hour and day.</summary>
public sealed class BrokerStatsData : IJsonBody<BrokerStatsData>
{
    [JsonPropertyName("statsMinute")]
    public BrokerStatsItem StatsMinute { get; set; } = new();

    [JsonPropertyName("statsHour")]
    public BrokerStatsItem StatsHour { get; set; } = new();

    [JsonPropertyName("statsDay")]
    public BrokerStatsItem StatsDay { get; set; } = new();

    static JsonTypeInfo<BrokerStatsData> IJsonBody<BrokerStatsData>.TypeInfo => StatsJsonContext.Default.BrokerStatsData;
}

/// <summary>A statistic in one window: <see cref="Sum"/> counted (messages or bytes), <see cref="Tps"/> = sum per second,
/// <see cref="Avgpt"/> = sum per request (RocketMQ's StatsSnapshot).</summary>
public sealed class BrokerStatsItem
{
    [JsonPropertyName("sum")]
    public long Sum { get; set; }

    [JsonPropertyName("tps")]
    public double Tps { get; set; }

    [JsonPropertyName("avgpt")]
    public double Avgpt { get; set; }
}

/// <summary>
/// RaftMq's body of a CLEAN_UNUSED_TOPIC (316) or DELETE_TOPIC_IN_BROKER (215) reply (RocketMQ sends none; its clients ignore
/// it): the topics whose ConsumeQueues the broker group dropped through its log and how many queues that was.
/// </summary>
public sealed class CleanUnusedTopicResult : IJsonBody<CleanUnusedTopicResult>
{
    [JsonPropertyName("topics")]
    public List<string> Topics { get; set; } = [];

    [JsonPropertyName("queues")]
    public int Queues { get; set; }

    static JsonTypeInfo<CleanUnusedTopicResult> IJsonBody<CleanUnusedTopicResult>.TypeInfo => StatsJsonContext.Default.CleanUnusedTopicResult;
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, PropertyNameCaseInsensitive = true,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(GroupList))]
[JsonSerializable(typeof(BrokerStatsData))]
[JsonSerializable(typeof(CleanUnusedTopicResult))]
internal sealed partial class StatsJsonContext : JsonSerializerContext;
