using RaftMq.Client.Instance;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Messages;

namespace RaftMq.Client.Admin;

/// <summary>Who is connected: a consumer group's or producer group's members (consumerConnection, producerConnection).</summary>
public sealed partial class MQAdminClient
{
    /// <summary>
    /// GET_CONSUMER_CONNECTION_LIST (203) at the master of every group that holds the group's <c>%RETRY%</c> topic (clients
    /// heartbeat every master they know): the members of all of them, their subscriptions and consume settings. Throws
    /// <see cref="MQClientException"/> with CONSUMER_NOT_ONLINE (206) when no master knows a member.
    /// </summary>
    public async Task<ConsumerConnection> GetConsumerConnectionAsync(string consumerGroup, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(consumerGroup);
        ConsumerConnection? merged = null;
        // Without a %RETRY% route no member ever heartbeated a master.
        var route = await FindTopicRouteAsync(SystemNames.RetryTopic(consumerGroup), cancellationToken).ConfigureAwait(false);
        foreach (string address in route is null ? [] : MastersOf(route))
        {
            if (await GetConsumerConnectionAsync(address, consumerGroup, cancellationToken).ConfigureAwait(false) is not { } connection) continue;
            if (merged is null)
            {
                merged = connection;
                continue;
            }
            AddMissing(merged.ConnectionSet, connection.ConnectionSet);
            foreach (var (topic, subscription) in connection.SubscriptionTable) merged.SubscriptionTable.TryAdd(topic, subscription);
        }
        return merged ?? throw new MQClientException(ResponseCode.ConsumerNotOnline, $"Consumer group {consumerGroup} has no online consumer.");
    }

    /// <summary>GET_CONSUMER_CONNECTION_LIST (203) at one broker node; null when the group has no member there.</summary>
    public async Task<ConsumerConnection?> GetConsumerConnectionAsync(string brokerAddress, string consumerGroup, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(brokerAddress);
        ArgumentException.ThrowIfNullOrEmpty(consumerGroup);
        var request = BrokerApi.Request(RequestCode.GetConsumerConnectionList);
        request.ExtFields.Set("consumerGroup", consumerGroup);
        var response = await Instance.InvokeCheckedAsync(brokerAddress, request, cancellationToken, ResponseCode.Success, ResponseCode.ConsumerNotOnline)
            .ConfigureAwait(false);
        return response.Code == ResponseCode.Success ? ProtocolJson.Decode<ConsumerConnection>(response.Body.Span) : null;
    }

    /// <summary>
    /// GET_PRODUCER_CONNECTION_LIST (204) at the master of every group that holds <paramref name="topic"/> (producers heartbeat
    /// the masters of the topics they send to): the producer group's members. Throws <see cref="MQClientException"/> when no
    /// master knows a member.
    /// </summary>
    public async Task<ProducerConnection> GetProducerConnectionAsync(string producerGroup, string topic, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(producerGroup);
        ArgumentException.ThrowIfNullOrEmpty(topic);
        ProducerConnection? merged = null;
        var route = await FindTopicRouteAsync(topic, cancellationToken).ConfigureAwait(false)
            ?? throw new MQClientException(ResponseCode.TopicNotExist, $"Topic {topic} does not exist.");
        foreach (string address in MastersOf(route))
        {
            var request = BrokerApi.Request(RequestCode.GetProducerConnectionList);
            request.ExtFields.Set("producerGroup", producerGroup);
            // An unknown producer group is SYSTEM_ERROR in RocketMQ's protocol; it only means "none here".
            var response = await Instance.InvokeCheckedAsync(address, request, cancellationToken, ResponseCode.Success, ResponseCode.SystemError)
                .ConfigureAwait(false);
            if (response.Code != ResponseCode.Success) continue;
            var connection = ProtocolJson.Decode<ProducerConnection>(response.Body.Span);
            if (merged is null) merged = connection;
            else AddMissing(merged.ConnectionSet, connection.ConnectionSet);
        }
        return merged ?? throw new MQClientException($"Producer group {producerGroup} has no online producer at the brokers of topic {topic}.");
    }

    /// <summary>The masters of the groups in a route, by group name.</summary>
    private static IReadOnlyList<string> MastersOf(TopicRouteData route) =>
        [.. route.BrokerDatas.OrderBy(b => b.BrokerName, StringComparer.Ordinal).Select(b => b.MasterAddress()).OfType<string>()];

    private static void AddMissing(List<ClientConnection> into, List<ClientConnection> more)
    {
        foreach (var connection in more)
        {
            if (!into.Exists(known => known.ClientId == connection.ClientId && known.ClientAddr == connection.ClientAddr)) into.Add(connection);
        }
    }
}
