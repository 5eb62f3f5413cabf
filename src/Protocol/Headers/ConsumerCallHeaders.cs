using static RaftMq.Protocol.Headers.HeaderFields;

namespace RaftMq.Protocol.Headers;

/// <summary>GET_CONSUMER_RUNNING_INFO (307) request, RocketMQ's GetConsumerRunningInfoRequestHeader: an admin asks a broker,
/// which passes the same request on to the client <see cref="ClientId"/> of <see cref="ConsumerGroup"/>.</summary>
public readonly record struct GetConsumerRunningInfoRequestHeader
{
    public required string ConsumerGroup { get; init; }

    public required string ClientId { get; init; }

    /// <summary>Java clients then add a thread dump (<c>jstack</c>) to the reply.</summary>
    public bool JstackEnable { get; init; }

    public static GetConsumerRunningInfoRequestHeader FromExtFields(StringMap fields) => new()
    {
        ConsumerGroup = RequiredString(fields, "consumerGroup"),
        ClientId = RequiredString(fields, "clientId"),
        JstackEnable = OptionalBoolean(fields, "jstackEnable") ?? false,
    };

    public void ToExtFields(StringMap fields)
    {
        Put(fields, "consumerGroup", ConsumerGroup);
        Put(fields, "clientId", ClientId);
        Put(fields, "jstackEnable", JstackEnable);
    }
}

/// <summary>CONSUME_MESSAGE_DIRECTLY (309) request, RocketMQ's ConsumeMessageDirectlyResultRequestHeader. The broker reads the
/// message <see cref="MsgId"/> (an offset message id) names, puts its stored bytes in the body and its own
/// <see cref="BrokerName"/> in the header, and passes the request on to the client.</summary>
public readonly record struct ConsumeMessageDirectlyRequestHeader
{
    public required string ConsumerGroup { get; init; }

    public string? ClientId { get; init; }

    public string? MsgId { get; init; }

    public string? BrokerName { get; init; }

    public static ConsumeMessageDirectlyRequestHeader FromExtFields(StringMap fields) => new()
    {
        ConsumerGroup = RequiredString(fields, "consumerGroup"),
        ClientId = OptionalString(fields, "clientId"),
        MsgId = OptionalString(fields, "msgId"),
        BrokerName = OptionalString(fields, "brokerName"),
    };

    public void ToExtFields(StringMap fields)
    {
        Put(fields, "consumerGroup", ConsumerGroup);
        PutIfNotNull(fields, "clientId", ClientId);
        PutIfNotNull(fields, "msgId", MsgId);
        PutIfNotNull(fields, "brokerName", BrokerName);
    }
}
