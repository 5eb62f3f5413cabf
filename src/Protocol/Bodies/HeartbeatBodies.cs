using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace RaftMq.Protocol.Bodies;

[JsonConverter(typeof(JsonStringEnumConverter<ConsumeType>))]
public enum ConsumeType
{
    /// <summary>Pull consumer.</summary>
    [JsonStringEnumMemberName("CONSUME_ACTIVELY")]
    ConsumeActively,

    /// <summary>Push consumer.</summary>
    [JsonStringEnumMemberName("CONSUME_PASSIVELY")]
    ConsumePassively,

    [JsonStringEnumMemberName("CONSUME_POP")]
    ConsumePop,
}

[JsonConverter(typeof(JsonStringEnumConverter<MessageModel>))]
public enum MessageModel
{
    [JsonStringEnumMemberName("BROADCASTING")]
    Broadcasting,

    [JsonStringEnumMemberName("CLUSTERING")]
    Clustering,
}

[JsonConverter(typeof(JsonStringEnumConverter<ConsumeFromWhere>))]
public enum ConsumeFromWhere
{
    [JsonStringEnumMemberName("CONSUME_FROM_LAST_OFFSET")]
    ConsumeFromLastOffset,

    [JsonStringEnumMemberName("CONSUME_FROM_LAST_OFFSET_AND_FROM_MIN_WHEN_BOOT_FIRST")]
    ConsumeFromLastOffsetAndFromMinWhenBootFirst,

    [JsonStringEnumMemberName("CONSUME_FROM_MIN_OFFSET")]
    ConsumeFromMinOffset,

    [JsonStringEnumMemberName("CONSUME_FROM_MAX_OFFSET")]
    ConsumeFromMaxOffset,

    [JsonStringEnumMemberName("CONSUME_FROM_FIRST_OFFSET")]
    ConsumeFromFirstOffset,

    [JsonStringEnumMemberName("CONSUME_FROM_TIMESTAMP")]
    ConsumeFromTimestamp,
}

/// <summary>One subscription of a consumer group; codeSet holds Java String.hashCode of each tag.</summary>
public sealed class SubscriptionData
{
    /// <summary>Subscription expression meaning "all tags".</summary>
    public const string SubAll = "*";

    [JsonPropertyName("classFilterMode")]
    public bool ClassFilterMode { get; set; }

    [JsonPropertyName("codeSet")]
    public List<int> CodeSet { get; set; } = [];

    /// <summary>"TAG" or "SQL92"; ali-ons omits it (meaning TAG).</summary>
    [JsonPropertyName("expressionType")]
    public string? ExpressionType { get; set; }

    [JsonPropertyName("subString")]
    public string SubString { get; set; } = "";

    [JsonPropertyName("subVersion")]
    public long SubVersion { get; set; }

    [JsonPropertyName("tagsSet")]
    public List<string> TagsSet { get; set; } = [];

    [JsonPropertyName("topic")]
    public string Topic { get; set; } = "";
}

public sealed class ConsumerData
{
    [JsonPropertyName("consumeFromWhere")]
    public ConsumeFromWhere ConsumeFromWhere { get; set; }

    [JsonPropertyName("consumeType")]
    public ConsumeType ConsumeType { get; set; }

    [JsonPropertyName("groupName")]
    public string GroupName { get; set; } = "";

    [JsonPropertyName("messageModel")]
    public MessageModel MessageModel { get; set; } = MessageModel.Clustering;

    [JsonPropertyName("subscriptionDataSet")]
    public List<SubscriptionData> SubscriptionDataSet { get; set; } = [];

    [JsonPropertyName("unitMode")]
    public bool UnitMode { get; set; }
}

public sealed class ProducerData
{
    [JsonPropertyName("groupName")]
    public string GroupName { get; set; } = "";
}

/// <summary>HEART_BEAT (34) request body (§6.2).</summary>
public sealed class HeartbeatData : IJsonBody<HeartbeatData>
{
    /// <summary>Key spelled "clientID" on the wire.</summary>
    [JsonPropertyName("clientID")]
    public string ClientId { get; set; } = "";

    [JsonPropertyName("consumerDataSet")]
    public List<ConsumerData> ConsumerDataSet { get; set; } = [];

    [JsonPropertyName("producerDataSet")]
    public List<ProducerData> ProducerDataSet { get; set; } = [];

    static JsonTypeInfo<HeartbeatData> IJsonBody<HeartbeatData>.TypeInfo => ProtocolJson.Context.HeartbeatData;
}
