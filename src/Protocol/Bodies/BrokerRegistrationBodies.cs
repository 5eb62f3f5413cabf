using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using RaftMq.Protocol.Codes;

namespace RaftMq.Protocol.Bodies;

/// <summary>
/// A topic's configuration (RocketMQ's TopicConfig): what brokers register, admin tools read and the broker's store
/// keeps. JSON here is the wire shape (fastjson's sorted field names); the store persists its own shape.
/// </summary>
public sealed record TopicConfig
{
    public const string SingleTagFilter = "SINGLE_TAG";
    public const string MultiTagFilter = "MULTI_TAG";

    /// <summary>The wire defaults (16 queues, read-write), for JSON that leaves fields out.</summary>
    [JsonConstructor]
    public TopicConfig()
    {
    }

    public TopicConfig(string name, int readQueueNums, int writeQueueNums, int perm = PermName.ReadWrite, bool order = false, int topicSysFlag = 0)
    {
        Name = name;
        ReadQueueNums = readQueueNums;
        WriteQueueNums = writeQueueNums;
        Perm = perm;
        Order = order;
        TopicSysFlag = topicSysFlag;
    }

    [JsonPropertyName("order")]
    public bool Order { get; init; }

    [JsonPropertyName("perm")]
    public int Perm { get; init; } = PermName.ReadWrite;

    [JsonPropertyName("readQueueNums")]
    public int ReadQueueNums { get; init; } = 16;

    [JsonPropertyName("topicFilterType")]
    public string TopicFilterType { get; init; } = SingleTagFilter;

    [JsonPropertyName("topicName")]
    public string Name { get; init; } = "";

    [JsonPropertyName("topicSysFlag")]
    public int TopicSysFlag { get; init; }

    [JsonPropertyName("writeQueueNums")]
    public int WriteQueueNums { get; init; } = 16;
}

/// <summary>Topic configurations plus the version they belong to.</summary>
public sealed class TopicConfigSerializeWrapper : IJsonBody<TopicConfigSerializeWrapper>
{
    [JsonPropertyName("dataVersion")]
    public DataVersion DataVersion { get; set; } = new();

    [JsonPropertyName("topicConfigTable")]
    public Dictionary<string, TopicConfig> TopicConfigTable { get; set; } = [];

    static JsonTypeInfo<TopicConfigSerializeWrapper> IJsonBody<TopicConfigSerializeWrapper>.TypeInfo =>
        ProtocolJson.Context.TopicConfigSerializeWrapper;
}

/// <summary>
/// REGISTER_BROKER body, plain JSON form. (The optional compressed form of Java's <c>compressedRegister</c> is not
/// supported: a request with <c>compressed=true</c> must be refused by the name server.)
/// </summary>
public sealed class RegisterBrokerBody : IJsonBody<RegisterBrokerBody>
{
    [JsonPropertyName("filterServerList")]
    public List<string> FilterServerList { get; set; } = [];

    [JsonPropertyName("topicConfigSerializeWrapper")]
    public TopicConfigSerializeWrapper TopicConfigSerializeWrapper { get; set; } = new();

    static JsonTypeInfo<RegisterBrokerBody> IJsonBody<RegisterBrokerBody>.TypeInfo =>
        ProtocolJson.Context.RegisterBrokerBody;
}
