using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace RaftMq.Protocol.Bodies;

/// <summary>One client connection as a broker sees it (RocketMQ's Connection): the client id, the address the client's
/// socket comes from, the client's language (wire name, e.g. "JAVA", "DOTNET") and its <c>MQVersion</c> ordinal.</summary>
public sealed class ClientConnection
{
    [JsonPropertyName("clientId")]
    public string ClientId { get; set; } = "";

    [JsonPropertyName("clientAddr")]
    public string ClientAddr { get; set; } = "";

    [JsonPropertyName("language")]
    public string Language { get; set; } = "";

    [JsonPropertyName("version")]
    public int Version { get; set; }
}

/// <summary>GET_CONSUMER_CONNECTION_LIST (203) reply: a consumer group's live members, subscriptions and consume settings.</summary>
public sealed class ConsumerConnection : IJsonBody<ConsumerConnection>
{
    [JsonPropertyName("connectionSet")]
    public List<ClientConnection> ConnectionSet { get; set; } = [];

    /// <summary>Subscriptions by topic.</summary>
    [JsonPropertyName("subscriptionTable")]
    public Dictionary<string, SubscriptionData> SubscriptionTable { get; set; } = new(StringComparer.Ordinal);

    [JsonPropertyName("consumeType")]
    public ConsumeType ConsumeType { get; set; }

    [JsonPropertyName("messageModel")]
    public MessageModel MessageModel { get; set; } = MessageModel.Clustering;

    [JsonPropertyName("consumeFromWhere")]
    public ConsumeFromWhere ConsumeFromWhere { get; set; }

    static JsonTypeInfo<ConsumerConnection> IJsonBody<ConsumerConnection>.TypeInfo => ConnectionJsonContext.Default.ConsumerConnection;
}

/// <summary>GET_PRODUCER_CONNECTION_LIST (204) reply: a producer group's live members.</summary>
public sealed class ProducerConnection : IJsonBody<ProducerConnection>
{
    [JsonPropertyName("connectionSet")]
    public List<ClientConnection> ConnectionSet { get; set; } = [];

    static JsonTypeInfo<ProducerConnection> IJsonBody<ProducerConnection>.TypeInfo => ConnectionJsonContext.Default.ProducerConnection;
}

/// <summary>Source-generated metadata of the connection bodies.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, PropertyNameCaseInsensitive = true,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(ConsumerConnection))]
[JsonSerializable(typeof(ProducerConnection))]
internal sealed partial class ConnectionJsonContext : JsonSerializerContext;
