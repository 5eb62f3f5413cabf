using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace RaftMq.Protocol.Bodies;

/// <summary><c>{"brokerName":..,"queueId":..,"topic":..}</c>; value equality so it can key sets and maps.</summary>
public sealed record MessageQueue
{
    [JsonPropertyName("brokerName")]
    public string BrokerName { get; set; } = "";

    [JsonPropertyName("queueId")]
    public int QueueId { get; set; }

    [JsonPropertyName("topic")]
    public string Topic { get; set; } = "";
}

/// <summary>GET_CONSUMER_LIST_BY_GROUP reply body: client ids of the group's live consumers.</summary>
public sealed class ConsumerListByGroupResponseBody : IJsonBody<ConsumerListByGroupResponseBody>
{
    [JsonPropertyName("consumerIdList")]
    public List<string> ConsumerIdList { get; set; } = [];

    static JsonTypeInfo<ConsumerListByGroupResponseBody> IJsonBody<ConsumerListByGroupResponseBody>.TypeInfo =>
        ProtocolJson.Context.ConsumerListByGroupResponseBody;
}

/// <summary>LOCK_BATCH_MQ (41) and UNLOCK_BATCH_MQ (42) request body.</summary>
public sealed class LockBatchRequestBody : IJsonBody<LockBatchRequestBody>
{
    [JsonPropertyName("clientId")]
    public string ClientId { get; set; } = "";

    [JsonPropertyName("consumerGroup")]
    public string ConsumerGroup { get; set; } = "";

    [JsonPropertyName("mqSet")]
    public List<MessageQueue> MqSet { get; set; } = [];

    [JsonPropertyName("onlyThisBroker")]
    public bool OnlyThisBroker { get; set; }

    static JsonTypeInfo<LockBatchRequestBody> IJsonBody<LockBatchRequestBody>.TypeInfo =>
        ProtocolJson.Context.LockBatchRequestBody;
}

/// <summary>LOCK_BATCH_MQ reply body: the queues now locked by the caller.</summary>
public sealed class LockBatchResponseBody : IJsonBody<LockBatchResponseBody>
{
    [JsonPropertyName("lockOKMQSet")]
    public List<MessageQueue> LockOkMqSet { get; set; } = [];

    static JsonTypeInfo<LockBatchResponseBody> IJsonBody<LockBatchResponseBody>.TypeInfo =>
        ProtocolJson.Context.LockBatchResponseBody;
}

/// <summary>CHECK_CLIENT_CONFIG (46) request body.</summary>
public sealed class CheckClientRequestBody : IJsonBody<CheckClientRequestBody>
{
    [JsonPropertyName("clientId")]
    public string ClientId { get; set; } = "";

    [JsonPropertyName("group")]
    public string Group { get; set; } = "";

    [JsonPropertyName("subscriptionData")]
    public SubscriptionData? SubscriptionData { get; set; }

    static JsonTypeInfo<CheckClientRequestBody> IJsonBody<CheckClientRequestBody>.TypeInfo =>
        ProtocolJson.Context.CheckClientRequestBody;
}
