using RaftMq.Protocol.Bodies;

namespace RaftMq.Broker.Clients;

/// <summary>
/// Orderly-consumption locks (LOCK_BATCH_MQ / UNLOCK_BATCH_MQ): each message queue is held by at most one client
/// id per consumer group, until released or <c>expiry</c> after its last renewal (RocketMQ 60 s; Java clients renew
/// every 20 s). In memory on the leader: after a failover clients re-lock within one renewal period. Thread-safe.
/// </summary>
public sealed class QueueLockManager
{
    private readonly object _gate = new();
    private readonly Dictionary<string, Dictionary<MessageQueue, LockEntry>> _groups = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly TimeSpan _expiry;

    public QueueLockManager(TimeProvider time, TimeSpan expiry)
    {
        _time = time;
        _expiry = expiry;
    }

    /// <summary>Locks (or renews) each queue for <paramref name="clientId"/> unless another live client holds it;
    /// returns the queues the caller now holds.</summary>
    public IReadOnlyList<MessageQueue> TryLock(string group, string clientId, IEnumerable<MessageQueue> queues)
    {
        var now = _time.GetUtcNow();
        var held = new List<MessageQueue>();
        lock (_gate)
        {
            if (!_groups.TryGetValue(group, out var locks))
            {
                locks = [];
                _groups[group] = locks;
            }
            foreach (var queue in queues)
            {
                if (locks.TryGetValue(queue, out var entry) && entry.ClientId != clientId && !IsExpired(entry, now)) continue;
                locks[queue] = new LockEntry(clientId, now);
                held.Add(queue);
            }
        }
        return held;
    }

    /// <summary>Releases the queues that <paramref name="clientId"/> holds; others' locks stay.</summary>
    public void Unlock(string group, string clientId, IEnumerable<MessageQueue> queues)
    {
        lock (_gate)
        {
            if (!_groups.TryGetValue(group, out var locks)) return;
            foreach (var queue in queues)
            {
                if (locks.TryGetValue(queue, out var entry) && entry.ClientId == clientId) locks.Remove(queue);
            }
            if (locks.Count == 0) _groups.Remove(group);
        }
    }

    /// <summary>The live holder of a queue, or null.</summary>
    public string? Holder(string group, MessageQueue queue)
    {
        lock (_gate)
        {
            if (!_groups.TryGetValue(group, out var locks) || !locks.TryGetValue(queue, out var entry)) return null;
            return IsExpired(entry, _time.GetUtcNow()) ? null : entry.ClientId;
        }
    }

    /// <summary>Forgets every lock (this node stopped being the leader: the next leader starts empty anyway).</summary>
    public void Clear()
    {
        lock (_gate) _groups.Clear();
    }

    private bool IsExpired(LockEntry entry, DateTimeOffset now) => now - entry.LastRenewed > _expiry;

    private readonly record struct LockEntry(string ClientId, DateTimeOffset LastRenewed);
}
