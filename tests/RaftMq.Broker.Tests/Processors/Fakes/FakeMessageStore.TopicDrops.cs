using RaftMq.Broker.Store;

namespace RaftMq.Broker.Tests.Processors.Fakes;

internal sealed partial class FakeMessageStore
{
    /// <summary>Removes a topic from the table only, leaving its queues behind (what an older deleteTopic did).</summary>
    public void ForgetTopic(string topic) => _topics.TryRemove(topic, out _);

    public IReadOnlyList<string> UnusedTopics()
    {
        lock (_gate)
        {
            var unused = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var (topic, _) in _queues.Keys) unused.Add(topic);
            foreach (var (_, topic, _) in _offsets.Keys) unused.Add(topic);
            unused.RemoveWhere(_topics.ContainsKey);
            return [.. unused];
        }
    }

    public ValueTask<TopicQueuesDropResult> DropTopicQueuesAsync(IReadOnlyList<string> topics, CancellationToken cancellationToken = default)
    {
        if (!IsWritable) return ValueTask.FromResult(new TopicQueuesDropResult(StoreStatus.NotLeader, 0));
        int dropped = 0;
        foreach (string topic in topics)
        {
            if (!_topics.ContainsKey(topic)) dropped += DropQueues(topic);
        }
        return ValueTask.FromResult(new TopicQueuesDropResult(StoreStatus.Ok, dropped));
    }

    private int DropQueues(string topic)
    {
        lock (_gate)
        {
            int dropped = _queues.Keys.Where(key => key.Topic == topic).ToList().Count(key => _queues.Remove(key));
            foreach (var key in _offsets.Keys.Where(key => key.Topic == topic).ToList()) _offsets.TryRemove(key, out _);
            return dropped;
        }
    }
}
