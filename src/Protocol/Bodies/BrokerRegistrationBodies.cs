using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace RaftMq.Protocol.Bodies;

/// <summary>A topic's configuration as brokers register it.</summary>
public sealed class TopicConfig
{
    public const string SingleTagFilter = "SINGLE_TAG";
    public const string MultiTagFilter = "MULTI_TAG";

    [JsonPropertyName("order")]
    public bool Order { get; set; }

    [JsonPropertyName("perm")]
    public int Perm { get; set; } = Codes.PermName.ReadWrite;

    [JsonPropertyName("readQueueNums")]
    public int ReadQueueNums { get; set; } = 16;

    [JsonPropertyName("topicFilterType")]
    public string TopicFilterType { get; set; } = SingleTagFilter;

    [JsonPropertyName("topicName")]
    public string TopicName { get; set; } = "";

    [JsonPropertyName("topicSysFlag")]
    public int TopicSysFlag { get; set; }

    [JsonPropertyName("writeQueueNums")]
    public int WriteQueueNums { get; set; } = 16;
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
