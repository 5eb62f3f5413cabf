using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Codes;

namespace RaftMq.Client.Instance;

/// <summary>
/// A topic's route as the name server returned it, with the queue lists producers and consumers use derived
/// once: writable queues only on broker groups that have a master (id 0), readable queues on every group.
/// Immutable; a refresh replaces the whole object.
/// </summary>
internal sealed class TopicRoute
{
    private int _sendIndex = Random.Shared.Next(1024);

    private TopicRoute(string topic, TopicRouteData data, List<MessageQueue> writable, List<MessageQueue> readable, bool awaitingMaster)
    {
        Topic = topic;
        Data = data;
        WritableQueues = writable;
        ReadableQueues = readable;
        AwaitingMaster = awaitingMaster;
    }

    public string Topic { get; }

    public TopicRouteData Data { get; }

    public IReadOnlyList<MessageQueue> WritableQueues { get; }

    public IReadOnlyList<MessageQueue> ReadableQueues { get; }

    /// <summary>A broker group has writable queues for the topic but no master right now (its Raft group is between
    /// leaders, or the new leader has not registered yet): sends should retry shortly, the topic does exist.</summary>
    public bool AwaitingMaster { get; }

    /// <summary>Round-robin position for queue selection (never negative).</summary>
    public int NextSendIndex() => Interlocked.Increment(ref _sendIndex) & int.MaxValue;

    /// <summary>
    /// Builds the queue lists. <paramref name="queueCap"/> limits queue counts per broker (used when the route is the
    /// auto-create template TBW102 standing in for a topic that does not exist yet).
    /// </summary>
    public static TopicRoute Build(string topic, TopicRouteData data, int? queueCap = null)
    {
        var writable = new List<MessageQueue>();
        var readable = new List<MessageQueue>();
        bool awaitingMaster = false;
        var queueDatas = new List<QueueData>(data.QueueDatas);
        queueDatas.Sort(static (a, b) => string.CompareOrdinal(a.BrokerName, b.BrokerName));
        foreach (var queueData in queueDatas)
        {
            int writeCount = Math.Min(queueData.WriteQueueNums, queueCap ?? int.MaxValue);
            int readCount = Math.Min(queueData.ReadQueueNums, queueCap ?? int.MaxValue);
            bool hasMaster = data.BrokerDatas.Exists(b => b.BrokerName == queueData.BrokerName && b.MasterAddress() is not null);
            if (PermName.IsWriteable(queueData.Perm) && hasMaster)
            {
                for (int i = 0; i < writeCount; i++) writable.Add(Queue(topic, queueData.BrokerName, i));
            }
            else if (PermName.IsWriteable(queueData.Perm) && writeCount > 0)
            {
                awaitingMaster = true;
            }
            if (PermName.IsReadable(queueData.Perm))
            {
                for (int i = 0; i < readCount; i++) readable.Add(Queue(topic, queueData.BrokerName, i));
            }
        }
        return new TopicRoute(topic, data, writable, readable, awaitingMaster);
    }

    /// <summary>A short text of brokers and masters for logs ("a[0=127.0.0.1:1] b[...]").</summary>
    public string Describe()
    {
        var parts = new List<string>();
        foreach (var broker in Data.BrokerDatas)
        {
            parts.Add(broker.BrokerName + "[" + string.Join(",", broker.BrokerAddrs.Select(a => a.Key + "=" + a.Value)) + "]");
        }
        parts.Sort(StringComparer.Ordinal);
        return string.Join(" ", parts) + $" writable={WritableQueues.Count} readable={ReadableQueues.Count}";
    }

    private static MessageQueue Queue(string topic, string brokerName, int queueId) =>
        new() { Topic = topic, BrokerName = brokerName, QueueId = queueId };
}
