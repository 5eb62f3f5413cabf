using RaftMq.Protocol.Bodies;

namespace RaftMq.Client.Consumer;

/// <summary>Queue allocation strategies for clustering consumers.</summary>
public static class QueueAllocation
{
    /// <summary>
    /// RocketMQ's AllocateMessageQueueAveragely: with queues and consumer ids both in the same order on every
    /// consumer, consumer i of n takes a contiguous block of about queues/n queues; the first (queues mod n)
    /// consumers take one extra. Every queue goes to exactly one consumer.
    /// </summary>
    public static List<MessageQueue> Averagely(IReadOnlyList<MessageQueue> queues, IReadOnlyList<string> consumerIds, string self)
    {
        ArgumentNullException.ThrowIfNull(queues);
        ArgumentNullException.ThrowIfNull(consumerIds);
        int index = -1;
        for (int i = 0; i < consumerIds.Count; i++)
        {
            if (consumerIds[i] == self) index = i;
        }
        var result = new List<MessageQueue>();
        if (index < 0 || queues.Count == 0) return result;
        int consumers = consumerIds.Count;
        int mod = queues.Count % consumers;
        int averageSize = queues.Count <= consumers ? 1 : (mod > 0 && index < mod ? queues.Count / consumers + 1 : queues.Count / consumers);
        int startIndex = mod > 0 && index < mod ? index * averageSize : index * averageSize + mod;
        int range = Math.Min(averageSize, queues.Count - startIndex);
        for (int i = 0; i < range; i++) result.Add(queues[(startIndex + i) % queues.Count]);
        return result;
    }
}
