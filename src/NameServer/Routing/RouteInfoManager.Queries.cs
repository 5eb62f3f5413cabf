using RaftMq.Protocol.Bodies;

namespace RaftMq.NameServer.Routing;

public sealed partial class RouteInfoManager
{
    /// <summary>
    /// The route of a topic (GET_ROUTEINFO_BY_TOPIC): its queue data per broker name and those groups' addresses,
    /// both ordered by broker name. A group without a master (id 0) is still listed; clients skip it for writes.
    /// Null when the topic is unknown. The result is a copy the caller owns.
    /// </summary>
    /// <remarks>
    /// During a leadership gap -- the master stepped down and re-registered under its slave id, and no new master has
    /// registered yet -- the route keeps naming the stepped-down master at id 0 for <see cref="MasterGapGrace"/>. An
    /// unmodified client then keeps sending to a live node of the group, which forwards to the new leader as soon as
    /// it knows one (or answers a retriable "not master"), instead of finding no master and failing the send with
    /// "broker not exist". Cluster info (<see cref="GetClusterInfo"/>) always shows the registered ids as they are.
    /// </remarks>
    public TopicRouteData? GetRoute(string topic)
    {
        lock (_gate)
        {
            if (!_topics.TryGetValue(topic, out var queues)) return null;
            var route = new TopicRouteData();
            var now = _time.GetUtcNow();
            foreach (var (brokerName, queue) in queues)
            {
                route.QueueDatas.Add(Copy(queue));
                if (_groups.TryGetValue(brokerName, out var group)) route.BrokerDatas.Add(group.ToRouteBrokerData(brokerName, now, MasterGapGrace));
            }
            return route.BrokerDatas.Count == 0 ? null : route;
        }
    }

    /// <summary>Every broker group and cluster (GET_BROKER_CLUSTER_INFO), as a copy.</summary>
    public ClusterInfo GetClusterInfo()
    {
        lock (_gate)
        {
            var info = new ClusterInfo();
            foreach (var (brokerName, group) in _groups) info.BrokerAddrTable[brokerName] = group.ToBrokerData(brokerName);
            foreach (var (cluster, names) in _clusters) info.ClusterAddrTable[cluster] = [.. names];
            return info;
        }
    }

    /// <summary>Every topic with at least one queue, sorted (GET_ALL_TOPIC_LIST_FROM_NAMESERVER).</summary>
    public TopicList GetTopicList()
    {
        lock (_gate)
        {
            var list = new TopicList { Topics = [.. _topics.Keys] };
            list.Topics.Sort(StringComparer.Ordinal);
            return list;
        }
    }

    /// <summary>
    /// QUERY_DATA_VERSION: whether <paramref name="version"/> differs from the one last registered for the address.
    /// An unchanged answer also counts as a sign of life (the broker skips registering when nothing changed, as
    /// RocketMQ's does), so it refreshes the address's expiry.
    /// </summary>
    public DataVersionQueryResult QueryDataVersion(string brokerAddress, DataVersion version)
    {
        ArgumentNullException.ThrowIfNull(version);
        lock (_gate)
        {
            if (!_live.TryGetValue(brokerAddress, out var entry)) return new DataVersionQueryResult(true, null);
            bool changed = entry.DataVersion != version;
            if (!changed) _live[brokerAddress] = entry with { LastUpdate = _time.GetUtcNow() };
            return new DataVersionQueryResult(changed, entry.DataVersion is { } stored ? stored with { } : null);
        }
    }

    /// <summary>Number of live broker addresses.</summary>
    public int LiveBrokerCount
    {
        get
        {
            lock (_gate) return _live.Count;
        }
    }

    private static QueueData Copy(QueueData queue) => new()
    {
        BrokerName = queue.BrokerName,
        ReadQueueNums = queue.ReadQueueNums,
        WriteQueueNums = queue.WriteQueueNums,
        Perm = queue.Perm,
        TopicSysFlag = queue.TopicSysFlag,
    };
}
