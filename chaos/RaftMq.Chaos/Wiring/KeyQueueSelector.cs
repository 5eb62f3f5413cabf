using RaftMq.Protocol.Bodies;

namespace RaftMq.Chaos.Wiring;

/// <summary>
/// The ordered queue selector of the workload: a key always maps to the same queue of the topic (a stable FNV-1a
/// hash, not <see cref="string.GetHashCode()"/>, so a seed replays the same placement in every process).
/// </summary>
public static class KeyQueueSelector
{
    public static MessageQueue Select(IReadOnlyList<MessageQueue> queues, string key)
    {
        ArgumentNullException.ThrowIfNull(queues);
        ArgumentNullException.ThrowIfNull(key);
        if (queues.Count == 0)
        {
            throw new ArgumentException("the topic has no writable queue", nameof(queues));
        }

        var ordered = queues.OrderBy(q => q.BrokerName, StringComparer.Ordinal).ThenBy(q => q.QueueId).ToList();
        return ordered[(int)(StableHash(key) % (uint)ordered.Count)];
    }

    public static uint StableHash(string key)
    {
        var hash = 2166136261u;
        foreach (var c in key)
        {
            hash = unchecked((hash ^ c) * 16777619u);
        }

        return hash;
    }
}
