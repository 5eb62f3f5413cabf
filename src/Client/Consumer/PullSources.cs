using System.Collections.Concurrent;
using RaftMq.Client.Instance;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Codes;

namespace RaftMq.Client.Consumer;

/// <summary>Where one pull goes: the broker address, and whether it is not the master (a slave, or a DLedger follower).</summary>
internal readonly record struct PullSource(string Address, long BrokerId)
{
    public bool IsSlave => BrokerId != 0;
}

/// <summary>
/// Which broker of a queue's group a consumer pulls from, as RocketMQ's PullAPIWrapper does it: every pull answer's
/// <c>suggestWhichBrokerId</c> is remembered per queue (updatePullFromWhichNode) and the next pull of that queue goes
/// to that broker id of the group (recalculatePullFromWhichNode, findBrokerAddressInSubscribe), falling back to the
/// next id and then to the master when the route does not list it. A pull that fails at a slave sends the queue back
/// to the master. Offsets are always committed to the master (the offset store looks it up itself).
/// </summary>
internal sealed class PullSources(ClientInstance instance)
{
    private readonly ConcurrentDictionary<MessageQueue, long> _suggested = new();

    /// <summary>The broker id the queue's next pull goes to (0, the master, until an answer suggested another).</summary>
    public long BrokerIdFor(MessageQueue queue) => _suggested.TryGetValue(queue, out long id) ? id : 0;

    /// <summary>Remembers a pull answer's suggestion for the queue's next pull.</summary>
    public void Remember(MessageQueue queue, long suggestedBrokerId)
    {
        if (suggestedBrokerId <= 0) _suggested.TryRemove(queue, out _);
        else _suggested[queue] = suggestedBrokerId;
    }

    /// <summary>After a failed pull at <paramref name="source"/>: a slave that failed is not asked again until a master's
    /// answer suggests it.</summary>
    public void Failed(MessageQueue queue, PullSource source)
    {
        if (source.IsSlave) _suggested.TryRemove(queue, out _);
    }

    /// <summary>True for the codes of a served pull (found, not found, retry, offset moved), false for a refusal.</summary>
    public static bool IsPullAnswer(int code) =>
        code is ResponseCode.Success or ResponseCode.PullNotFound or ResponseCode.PullRetryImmediately or ResponseCode.PullOffsetMoved;

    /// <summary>The address of the queue's next pull, refreshing the route once when the group is unknown.</summary>
    public async Task<PullSource> ResolveAsync(MessageQueue queue, CancellationToken cancellationToken)
    {
        long brokerId = BrokerIdFor(queue);
        if (Choose(instance.FindBrokerAddresses(queue.BrokerName), brokerId) is { } found) return found;
        await instance.RefreshRouteAsync(queue.Topic, cancellationToken).ConfigureAwait(false);
        return Choose(instance.FindBrokerAddresses(queue.BrokerName), brokerId)
            ?? throw new MQClientException($"Broker {queue.BrokerName} is not in the route of topic {queue.Topic}.");
    }

    /// <summary>
    /// RocketMQ's findBrokerAddressInSubscribe (onlyThisBroker false): broker id <paramref name="brokerId"/> of the group,
    /// else for a slave id the next one, else the master, else any listed broker; null when the group lists none.
    /// </summary>
    internal static PullSource? Choose(IReadOnlyDictionary<long, string>? addresses, long brokerId)
    {
        if (addresses is null || addresses.Count == 0) return null;
        if (addresses.TryGetValue(brokerId, out string? address)) return new PullSource(address, brokerId);
        if (brokerId != 0 && addresses.TryGetValue(brokerId + 1, out address)) return new PullSource(address, brokerId + 1);
        long lowest = long.MaxValue;
        foreach (long id in addresses.Keys) lowest = Math.Min(lowest, id);
        return new PullSource(addresses[lowest], lowest);
    }
}
