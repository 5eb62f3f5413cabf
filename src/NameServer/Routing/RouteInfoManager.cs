using RaftMq.Protocol.Bodies;

namespace RaftMq.NameServer.Routing;

/// <summary>
/// The name server's route table (RocketMQ's RouteInfoManager): which broker groups exist, which addresses each
/// group has by broker id (0 = master), which queues every topic has on every group, and when each broker address
/// last registered. Pure and thread-safe: no sockets, no timers; time comes from the injected
/// <see cref="TimeProvider"/>, expiry runs when <see cref="RemoveExpiredBrokers"/> is called.
/// </summary>
/// <remarks>
/// Rules: an address holds at most one broker id (registering it under a new id removes the old one, so a
/// follower promoted to leader flips 1 -> 0 at once); only id 0 registrations change a topic's queue data, and
/// only when their topic table's <see cref="DataVersion"/> changed or the address is new at id 0; a topic table
/// adds and updates queue data but never deletes it (as RocketMQ 4.x, so a leader that registers before it has
/// applied every topic cannot make routes vanish); a broker name whose last address leaves takes its queue data
/// with it, and a topic with no queue data left disappears.
/// </remarks>
public sealed partial class RouteInfoManager
{
    /// <summary>The broker id of a group's master.</summary>
    public const long MasterId = 0;

    private readonly Lock _gate = new();
    private readonly TimeProvider _time;

    /// <summary>Broker name to its group (cluster and addresses by id).</summary>
    private readonly Dictionary<string, BrokerGroup> _groups = new(StringComparer.Ordinal);

    /// <summary>Cluster name to the broker names in it.</summary>
    private readonly Dictionary<string, SortedSet<string>> _clusters = new(StringComparer.Ordinal);

    /// <summary>Topic to its queue data per broker name.</summary>
    private readonly Dictionary<string, SortedDictionary<string, QueueData>> _topics = new(StringComparer.Ordinal);

    /// <summary>Broker address to its latest registration. Every address listed in a group has an entry here
    /// naming that group.</summary>
    private readonly Dictionary<string, LiveBroker> _live = new(StringComparer.Ordinal);

    public RouteInfoManager(TimeSpan brokerExpiry, TimeProvider? timeProvider = null, TimeSpan masterGapGrace = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(brokerExpiry, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(masterGapGrace, TimeSpan.Zero);
        BrokerExpiry = brokerExpiry;
        MasterGapGrace = masterGapGrace;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>A broker address that has not registered for longer than this is dropped by the next scan.</summary>
    public TimeSpan BrokerExpiry { get; }

    /// <summary>How long a topic route keeps naming a master that stepped down while its group has no new master
    /// (zero: not at all). See <see cref="GetRoute"/>.</summary>
    public TimeSpan MasterGapGrace { get; }

    /// <summary>Records a registration (REGISTER_BROKER) and tells the broker where its master is.</summary>
    public BrokerRegistrationResult RegisterBroker(BrokerRegistrationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (_gate)
        {
            var result = RegisterLocked(request);
            PromotePendingClaim(request.BrokerName);
            return result;
        }
    }

    private BrokerRegistrationResult RegisterLocked(BrokerRegistrationRequest request)
    {
        {
            var previous = _live.GetValueOrDefault(request.BrokerAddress);
            if (previous is not null && previous.BrokerName != request.BrokerName)
            {
                // The address now belongs to another broker name (reconfigured broker): leave the old group first.
                RemoveAddressFromGroup(previous.BrokerName, request.BrokerAddress);
            }
            var group = JoinGroup(request.ClusterName, request.BrokerName);
            var verdict = JudgeMasterClaim(group, request);
            if (verdict != ClaimVerdict.Accept)
            {
                if (verdict == ClaimVerdict.Unconfirmed) group.PendingClaim = request;
                return new BrokerRegistrationResult(group.Addresses[MasterId], null, false,
                    StaleMasterClaim: verdict == ClaimVerdict.Stale, UnconfirmedMasterClaim: verdict == ClaimVerdict.Unconfirmed);
            }
            if (group.PendingClaim?.BrokerAddress == request.BrokerAddress) group.PendingClaim = null;
            if (request.BrokerId == MasterId && request.RaftTerm > 0) group.MasterTerm = request.RaftTerm;
            NoteMasterGap(group, request);
            bool newAtThisId = !group.Addresses.TryGetValue(request.BrokerId, out var holder) || holder != request.BrokerAddress;
            group.RemoveAddress(request.BrokerAddress);
            group.Addresses[request.BrokerId] = request.BrokerAddress;

            if (request.BrokerId == MasterId && request.Topics is { } topics &&
                (newAtThisId || previous?.DataVersion != topics.DataVersion))
            {
                ApplyTopicTable(request.BrokerName, topics.TopicConfigTable);
            }
            _live[request.BrokerAddress] = new LiveBroker(
                request.ClusterName,
                request.BrokerName,
                request.HaServerAddress,
                (request.Topics?.DataVersion ?? previous?.DataVersion) is { } version ? version with { } : null,
                request.ConnectionId,
                _time.GetUtcNow(),
                request.RaftTerm);
            return MasterOf(group, request.BrokerId, newAtThisId);
        }
    }


    private BrokerRegistrationResult MasterOf(BrokerGroup group, long brokerId, bool isNew)
    {
        if (brokerId == MasterId || !group.Addresses.TryGetValue(MasterId, out var master)) return new(null, null, isNew);
        return new(master, _live.GetValueOrDefault(master)?.HaServerAddress, isNew);
    }

    private BrokerGroup JoinGroup(string clusterName, string brokerName)
    {
        if (!_groups.TryGetValue(brokerName, out var group))
        {
            group = new BrokerGroup(clusterName);
            _groups.Add(brokerName, group);
        }
        else if (group.ClusterName != clusterName)
        {
            LeaveCluster(group.ClusterName, brokerName);
            group.ClusterName = clusterName;
        }
        if (!_clusters.TryGetValue(clusterName, out var names))
        {
            names = new SortedSet<string>(StringComparer.Ordinal);
            _clusters.Add(clusterName, names);
        }
        names.Add(brokerName);
        return group;
    }

    private void LeaveCluster(string clusterName, string brokerName)
    {
        if (!_clusters.TryGetValue(clusterName, out var names)) return;
        names.Remove(brokerName);
        if (names.Count == 0) _clusters.Remove(clusterName);
    }

    private void ApplyTopicTable(string brokerName, Dictionary<string, TopicConfig> table)
    {
        foreach (var (key, config) in table)
        {
            string topic = config.Name.Length > 0 ? config.Name : key;
            if (!_topics.TryGetValue(topic, out var queues))
            {
                queues = new SortedDictionary<string, QueueData>(StringComparer.Ordinal);
                _topics.Add(topic, queues);
            }
            queues[brokerName] = new QueueData
            {
                BrokerName = brokerName,
                ReadQueueNums = config.ReadQueueNums,
                WriteQueueNums = config.WriteQueueNums,
                Perm = config.Perm,
                TopicSysFlag = config.TopicSysFlag,
            };
        }
    }

    /// <summary>A broker name's cluster and its addresses by broker id.</summary>
    private sealed class BrokerGroup(string clusterName)
    {
        public string ClusterName { get; set; } = clusterName;

        public SortedDictionary<long, string> Addresses { get; } = [];

        /// <summary>Highest Raft term a master of this group registered with (0 = not a Raft group / unknown).</summary>
        public long MasterTerm { get; set; }

        /// <summary>A master claim refused as unconfirmed, applied once the group's members confirm it.</summary>
        public BrokerRegistrationRequest? PendingClaim { get; set; }

        /// <summary>The master that last stepped down (re-registered under a slave id) while no other master took id 0,
        /// and when; cleared when a master registers or the address leaves the group.</summary>
        public (string Address, DateTimeOffset Since)? SteppedDownMaster { get; set; }

        /// <summary>Removes every id this address holds; true when it held one.</summary>
        public bool RemoveAddress(string address)
        {
            bool removed = false;
            foreach (var (id, holder) in Addresses.ToArray())
            {
                if (holder == address) removed |= Addresses.Remove(id);
            }
            return removed;
        }

        public BrokerData ToBrokerData(string brokerName) => new()
        {
            BrokerName = brokerName,
            Cluster = ClusterName,
            BrokerAddrs = new SortedDictionary<long, string>(Addresses),
        };

        /// <summary>As <see cref="ToBrokerData"/>, with a master that stepped down less than <paramref name="grace"/> ago
        /// still listed at id 0 while the group has no master.</summary>
        public BrokerData ToRouteBrokerData(string brokerName, DateTimeOffset now, TimeSpan grace)
        {
            var data = ToBrokerData(brokerName);
            if (SteppedDownMaster is var (address, since) && now - since < grace) data.BrokerAddrs.TryAdd(MasterId, address);
            return data;
        }
    }

    /// <summary>The latest registration of one broker address.</summary>
    private sealed record LiveBroker(
        string ClusterName,
        string BrokerName,
        string HaServerAddress,
        DataVersion? DataVersion,
        long ConnectionId,
        DateTimeOffset LastUpdate,
        long RaftTerm);
}
