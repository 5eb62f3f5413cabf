using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Codes;

namespace RaftMq.Broker.Clients;

/// <summary>Snapshots of a group's members for consumerConnection / producerConnection (codes 203 / 204).</summary>
public sealed partial class ClientRegistry
{
    /// <summary>A consumer group's members, subscriptions and consume settings; null when no member is registered here.</summary>
    public ConsumerConnection? DescribeConsumerGroup(string group)
    {
        lock (_gate)
        {
            if (!_consumers.TryGetValue(group, out var info) || info.Channels.Count == 0) return null;
            var connection = new ConsumerConnection
            {
                ConnectionSet = Describe(info.Channels.Values),
                ConsumeType = info.ConsumeType,
                MessageModel = info.MessageModel,
                ConsumeFromWhere = info.ConsumeFromWhere,
            };
            foreach (var (topic, subscription) in info.Subscriptions) connection.SubscriptionTable[topic] = subscription;
            return connection;
        }
    }

    /// <summary>A producer group's members; null when no member is registered here.</summary>
    public ProducerConnection? DescribeProducerGroup(string group)
    {
        lock (_gate)
        {
            return _producers.TryGetValue(group, out var channels) && channels.Count > 0
                ? new ProducerConnection { ConnectionSet = Describe(channels.Values) }
                : null;
        }
    }

    /// <summary>Names of the consumer groups with a member registered here.</summary>
    public IReadOnlyList<string> ConsumerGroupNames()
    {
        lock (_gate) return [.. _consumers.Keys];
    }

    private static List<ClientConnection> Describe(IEnumerable<ClientChannel> channels)
    {
        var connections = new List<ClientConnection>();
        foreach (var channel in channels)
        {
            connections.Add(new ClientConnection
            {
                ClientId = channel.ClientId,
                ClientAddr = channel.Connection?.RemoteAddress ?? "",
                Language = LanguageCodeNames.ToWireName(channel.Language),
                Version = channel.Version,
            });
        }
        connections.Sort((a, b) => string.CompareOrdinal(a.ClientId, b.ClientId));
        return connections;
    }
}
