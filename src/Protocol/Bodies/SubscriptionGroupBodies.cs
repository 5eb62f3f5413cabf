using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace RaftMq.Protocol.Bodies;

/// <summary>
/// A consumer group's subscription settings, RocketMQ's SubscriptionGroupConfig: the body of
/// UPDATE_AND_CREATE_SUBSCRIPTIONGROUP (200) and the values of GET_ALL_SUBSCRIPTIONGROUP_CONFIG (201). Defaults are
/// upstream's. RaftMq honours <see cref="ConsumeEnable"/>, <see cref="ConsumeBroadcastEnable"/>,
/// <see cref="RetryQueueNums"/> and <see cref="RetryMaxTimes"/>; the broker ids are kept and reported (every pull is
/// served by the group's Raft leader or, when enabled, any replica, so they steer nothing).
/// </summary>
public sealed record SubscriptionGroupConfig : IJsonBody<SubscriptionGroupConfig>
{
    [JsonPropertyName("groupName")]
    public string GroupName { get; init; } = "";

    [JsonPropertyName("consumeEnable")]
    public bool ConsumeEnable { get; init; } = true;

    [JsonPropertyName("consumeFromMinEnable")]
    public bool ConsumeFromMinEnable { get; init; } = true;

    [JsonPropertyName("consumeBroadcastEnable")]
    public bool ConsumeBroadcastEnable { get; init; } = true;

    [JsonPropertyName("retryQueueNums")]
    public int RetryQueueNums { get; init; } = 1;

    [JsonPropertyName("retryMaxTimes")]
    public int RetryMaxTimes { get; init; } = 16;

    [JsonPropertyName("brokerId")]
    public long BrokerId { get; init; }

    [JsonPropertyName("whichBrokerWhenConsumeSlowly")]
    public long WhichBrokerWhenConsumeSlowly { get; init; } = 1;

    [JsonPropertyName("notifyConsumerIdsChangedEnable")]
    public bool NotifyConsumerIdsChangedEnable { get; init; } = true;

    /// <summary>Why the settings cannot be stored, or null when they can.</summary>
    public string? Problem() =>
        string.IsNullOrWhiteSpace(GroupName) ? "groupName is empty"
        : RetryQueueNums is < 1 or > 1024 ? $"retryQueueNums {RetryQueueNums} is not between 1 and 1024"
        : RetryMaxTimes is < 0 or > 10_000 ? $"retryMaxTimes {RetryMaxTimes} is not between 0 and 10000"
        : BrokerId < 0 || WhichBrokerWhenConsumeSlowly < 0 ? "brokerId and whichBrokerWhenConsumeSlowly must not be negative"
        : null;

    static JsonTypeInfo<SubscriptionGroupConfig> IJsonBody<SubscriptionGroupConfig>.TypeInfo => SubscriptionGroupJsonContext.Default.SubscriptionGroupConfig;
}

/// <summary>GET_ALL_SUBSCRIPTIONGROUP_CONFIG (201) reply body, RocketMQ's SubscriptionGroupWrapper.</summary>
public sealed class SubscriptionGroupWrapper : IJsonBody<SubscriptionGroupWrapper>
{
    [JsonPropertyName("subscriptionGroupTable")]
    public Dictionary<string, SubscriptionGroupConfig> SubscriptionGroupTable { get; set; } = new(StringComparer.Ordinal);

    [JsonPropertyName("dataVersion")]
    public DataVersion DataVersion { get; set; } = new();

    static JsonTypeInfo<SubscriptionGroupWrapper> IJsonBody<SubscriptionGroupWrapper>.TypeInfo => SubscriptionGroupJsonContext.Default.SubscriptionGroupWrapper;
}

/// <summary>Source-generated metadata of the subscription group bodies.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, PropertyNameCaseInsensitive = true,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(SubscriptionGroupConfig))]
[JsonSerializable(typeof(SubscriptionGroupWrapper))]
internal sealed partial class SubscriptionGroupJsonContext : JsonSerializerContext;
