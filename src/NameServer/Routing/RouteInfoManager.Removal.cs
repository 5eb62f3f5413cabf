namespace RaftMq.NameServer.Routing;

public sealed partial class RouteInfoManager
{
    /// <summary>
    /// Removes a broker address (UNREGISTER_BROKER). The address goes whatever id and name the request states: a
    /// broker that changed role just before stopping may name its previous id, and an address holds one id of one
    /// broker name anyway. Null when the address was not registered.
    /// </summary>
    public RemovedBroker? UnregisterBroker(string brokerAddress)
    {
        lock (_gate)
        {
            // Every address listed in a group has a live entry naming that group, so the entry is all we need.
            return _live.TryGetValue(brokerAddress, out var entry)
                ? RemoveAddress(brokerAddress, entry, BrokerRemovalReason.Unregistered)
                : null;
        }
    }

    /// <summary>Drops every broker address whose last registration is older than <see cref="BrokerExpiry"/>.</summary>
    public IReadOnlyList<RemovedBroker> RemoveExpiredBrokers()
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            return RemoveWhere(entry => now - entry.LastUpdate > BrokerExpiry, BrokerRemovalReason.Expired);
        }
    }

    /// <summary>Drops every broker address that registered over the connection that just closed. An address that
    /// has since registered over another connection stays.</summary>
    public IReadOnlyList<RemovedBroker> OnConnectionClosed(long connectionId)
    {
        lock (_gate)
        {
            DropPendingClaims(connectionId);
            return RemoveWhere(entry => entry.ConnectionId == connectionId, BrokerRemovalReason.ConnectionClosed);
        }
    }

    private List<RemovedBroker> RemoveWhere(Func<LiveBroker, bool> predicate, BrokerRemovalReason reason)
    {
        var removed = new List<RemovedBroker>();
        foreach (var (address, entry) in _live.ToArray())
        {
            if (predicate(entry)) removed.Add(RemoveAddress(address, entry, reason));
        }
        return removed;
    }

    private RemovedBroker RemoveAddress(string address, LiveBroker entry, BrokerRemovalReason reason)
    {
        _live.Remove(address);
        bool nameRemoved = RemoveAddressFromGroup(entry.BrokerName, address);
        if (!nameRemoved) PromotePendingClaim(entry.BrokerName);
        return new RemovedBroker(entry.ClusterName, entry.BrokerName, address, reason, nameRemoved);
    }

    /// <summary>Takes the address out of its group; a group left empty leaves its cluster and every topic's queue
    /// data, and topics left without queues disappear. True when the broker name was removed.</summary>
    private bool RemoveAddressFromGroup(string brokerName, string address)
    {
        if (!_groups.TryGetValue(brokerName, out var group)) return false;
        group.RemoveAddress(address);
        if (group.SteppedDownMaster?.Address == address) group.SteppedDownMaster = null;
        if (group.Addresses.Count > 0) return false;

        _groups.Remove(brokerName);
        LeaveCluster(group.ClusterName, brokerName);
        foreach (var (topic, queues) in _topics.ToArray())
        {
            if (queues.Remove(brokerName) && queues.Count == 0) _topics.Remove(topic);
        }
        return true;
    }
}
