using RaftMq.Protocol.Bodies;

namespace RaftMq.Broker.Clients;

/// <summary>A consumer group's live members and subscriptions, as the latest heartbeats describe them.</summary>
public sealed class ConsumerGroupInfo
{
    internal ConsumerGroupInfo(string groupName) => GroupName = groupName;

    public string GroupName { get; }

    public ConsumeType ConsumeType { get; internal set; }

    public MessageModel MessageModel { get; internal set; }

    public ConsumeFromWhere ConsumeFromWhere { get; internal set; }

    /// <summary>Members keyed by connection id (a client reconnecting comes back under a new id).</summary>
    internal Dictionary<long, ClientChannel> Channels { get; } = [];

    /// <summary>Subscriptions by topic, replaced by every heartbeat that brings a newer one.</summary>
    internal Dictionary<string, SubscriptionData> Subscriptions { get; } = new(StringComparer.Ordinal);
}
