using RaftMq.Protocol.Bodies;

namespace RaftMq.Broker.Clients;

/// <summary>
/// The broker's view of its clients (RocketMQ's ConsumerManager + ProducerManager): which client ids belong to
/// which producer and consumer groups, over which connection, with which subscriptions. Heartbeats refresh it;
/// a channel leaves on UNREGISTER_CLIENT, when its connection closes, or after <c>expiry</c> without heartbeat.
/// Membership-changing operations return the consumer groups whose member list changed, so that the caller can
/// send NOTIFY_CONSUMER_IDS_CHANGED. Thread-safe; one lock is enough at heartbeat rates (every 30 s per client).
/// </summary>
public sealed partial class ClientRegistry
{
    private readonly object _gate = new();
    private readonly Dictionary<string, ConsumerGroupInfo> _consumers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<long, ClientChannel>> _producers = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly TimeSpan _expiry;

    public ClientRegistry(TimeProvider time, TimeSpan expiry)
    {
        _time = time;
        _expiry = expiry;
    }

    /// <summary>Records a consumer heartbeat; true when the channel is new to the group (membership changed).</summary>
    public bool RegisterConsumer(ClientChannel channel, ConsumerData data)
    {
        lock (_gate)
        {
            if (!_consumers.TryGetValue(data.GroupName, out var group))
            {
                group = new ConsumerGroupInfo(data.GroupName);
                _consumers[data.GroupName] = group;
            }
            group.ConsumeType = data.ConsumeType;
            group.MessageModel = data.MessageModel;
            group.ConsumeFromWhere = data.ConsumeFromWhere;
            foreach (var subscription in data.SubscriptionDataSet)
            {
                if (!group.Subscriptions.TryGetValue(subscription.Topic, out var known) || known.SubVersion <= subscription.SubVersion)
                {
                    group.Subscriptions[subscription.Topic] = subscription;
                }
            }
            return Refresh(group.Channels, channel);
        }
    }

    public void RegisterProducer(string group, ClientChannel channel)
    {
        lock (_gate)
        {
            if (!_producers.TryGetValue(group, out var channels))
            {
                channels = [];
                _producers[group] = channels;
            }
            Refresh(channels, channel);
        }
    }

    /// <summary>UNREGISTER_CLIENT: removes the client from the named groups; returns the consumer groups it left.</summary>
    public IReadOnlyList<string> Unregister(string clientId, string? producerGroup, string? consumerGroup)
    {
        lock (_gate)
        {
            if (producerGroup is not null && _producers.TryGetValue(producerGroup, out var producers))
            {
                RemoveWhere(producers, channel => channel.ClientId == clientId);
                if (producers.Count == 0) _producers.Remove(producerGroup);
            }
            if (consumerGroup is null || !_consumers.TryGetValue(consumerGroup, out var group)) return [];
            bool removed = RemoveWhere(group.Channels, channel => channel.ClientId == clientId);
            if (group.Channels.Count == 0) _consumers.Remove(consumerGroup);
            return removed ? [consumerGroup] : [];
        }
    }

    /// <summary>Drops every channel of a closed connection; returns the consumer groups that lost a member.</summary>
    public IReadOnlyList<string> RemoveConnection(long connectionId) =>
        RemoveChannels(channel => channel.ConnectionId == connectionId);

    /// <summary>Drops channels silent for longer than the expiry; returns the consumer groups that lost a member.</summary>
    public IReadOnlyList<string> RemoveExpired()
    {
        var deadline = _time.GetUtcNow() - _expiry;
        return RemoveChannels(channel => channel.LastHeartbeat < deadline);
    }

    /// <summary>Client ids of a consumer group's live members, sorted (clients allocate queues by their index).</summary>
    public IReadOnlyList<string> ConsumerIds(string group)
    {
        lock (_gate)
        {
            if (!_consumers.TryGetValue(group, out var info)) return [];
            var ids = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var channel in info.Channels.Values) ids.Add(channel.ClientId);
            return [.. ids];
        }
    }

    /// <summary>The open connections of a producer group's members (to ask them about a transaction).</summary>
    public IReadOnlyList<ClientChannel> ProducerChannels(string group)
    {
        lock (_gate)
        {
            if (!_producers.TryGetValue(group, out var channels)) return [];
            var open = new List<ClientChannel>(channels.Count);
            foreach (var channel in channels.Values)
            {
                if (channel.Connection is { IsOpen: true }) open.Add(channel);
            }
            return open;
        }
    }

    /// <summary>The connections of a consumer group's members (to notify them).</summary>
    public IReadOnlyList<ClientChannel> ConsumerChannels(string group)
    {
        lock (_gate)
        {
            return _consumers.TryGetValue(group, out var info) ? [.. info.Channels.Values] : [];
        }
    }

    public SubscriptionData? FindSubscription(string group, string topic)
    {
        lock (_gate)
        {
            return _consumers.TryGetValue(group, out var info) ? info.Subscriptions.GetValueOrDefault(topic) : null;
        }
    }

    /// <summary>How a consumer group consumes (clustering or broadcasting), as its members' heartbeats said; null when unknown here.</summary>
    public MessageModel? FindMessageModel(string group)
    {
        lock (_gate)
        {
            return _consumers.TryGetValue(group, out var info) ? info.MessageModel : null;
        }
    }

    /// <summary>Topics a consumer group subscribes to (for consumer progress).</summary>
    public IReadOnlyList<string> SubscribedTopics(string group)
    {
        lock (_gate)
        {
            return _consumers.TryGetValue(group, out var info) ? [.. info.Subscriptions.Keys] : [];
        }
    }

    public int ConsumerGroupCount
    {
        get
        {
            lock (_gate) return _consumers.Count;
        }
    }

    public int ProducerGroupCount
    {
        get
        {
            lock (_gate) return _producers.Count;
        }
    }

    /// <summary>True when the channel was not yet a member; otherwise only its heartbeat time is refreshed.</summary>
    private bool Refresh(Dictionary<long, ClientChannel> channels, ClientChannel channel)
    {
        if (channels.TryGetValue(channel.ConnectionId, out var known) && known.ClientId == channel.ClientId)
        {
            known.LastHeartbeat = _time.GetUtcNow();
            return false;
        }
        channel.LastHeartbeat = _time.GetUtcNow();
        channels[channel.ConnectionId] = channel;
        return true;
    }

    private IReadOnlyList<string> RemoveChannels(Func<ClientChannel, bool> doomed)
    {
        lock (_gate)
        {
            foreach (var (name, producers) in _producers.ToList())
            {
                RemoveWhere(producers, doomed);
                if (producers.Count == 0) _producers.Remove(name);
            }
            var changed = new List<string>();
            foreach (var (name, group) in _consumers.ToList())
            {
                if (!RemoveWhere(group.Channels, doomed)) continue;
                changed.Add(name);
                if (group.Channels.Count == 0) _consumers.Remove(name);
            }
            return changed;
        }
    }

    private static bool RemoveWhere(Dictionary<long, ClientChannel> channels, Func<ClientChannel, bool> predicate)
    {
        bool removed = false;
        foreach (var (id, channel) in channels.ToList())
        {
            if (!predicate(channel)) continue;
            channels.Remove(id);
            removed = true;
        }
        return removed;
    }
}
