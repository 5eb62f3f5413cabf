using RaftMq.Broker.Store.Control;
using RaftMq.Consensus.Core;
using RaftMq.Protocol.Messages;

namespace RaftMq.Broker.Store;

/// <summary>
/// Dropping the ConsumeQueues of topics that are no longer in the topic table (RocketMQ's cleanUnusedTopic, which its
/// deleteTopic also runs): a <see cref="ControlRecordType.TopicQueuesDrop"/> entry names the topics; applying it removes,
/// for each named topic that is still absent from the table and not a system topic, its queues (a re-created topic starts
/// at offset 0), every consumer offset committed for it, and its key-index entries (key queries skip messages stored
/// before the drop). Every replica decides on the same applied state, so all drop the same queues at the same index.
/// </summary>
public sealed partial class MessageStateMachine
{
    /// <summary>Topic -> log position of the entry that last dropped it: key-index hits below it belong to the dropped topic.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _topicDropPositions = new(StringComparer.Ordinal);

    /// <summary>
    /// Topics whose queues or committed consumer offsets a clean-up would drop now: absent from the topic table and not
    /// protected (<see cref="IsProtectedTopic"/>), sorted.
    /// </summary>
    public IReadOnlyList<string> UnusedTopics()
    {
        var unused = new SortedSet<string>(StringComparer.Ordinal);
        lock (_applyLock)
        {
            foreach (var queue in _queues.All()) unused.Add(queue.Topic);
            foreach (var record in _appliedOffsets.ToRecords()) unused.Add(record.Topic);
            unused.RemoveWhere(topic => _topics.ContainsKey(topic) || IsProtectedTopic(topic));
        }
        return [.. unused];
    }

    /// <summary>
    /// Topics a clean-up never drops although they are not in the topic table: the broker's own system topics (RMQ_SYS_*,
    /// SCHEDULE_TOPIC_XXXX, TRANS_CHECK_MAX_TIME_TOPIC, TBW102) and the retry and DLQ topics of a group the broker still
    /// knows (settings or committed offsets). Decided on applied state only, so identically on every replica.
    /// </summary>
    private bool IsProtectedTopic(string topic)
    {
        if (topic.StartsWith("RMQ_SYS_", StringComparison.Ordinal)
            || topic is SystemNames.ScheduleTopic or SystemNames.TransactionCheckMaxTimeTopic or SystemNames.AutoCreateTopicKeyTopic)
        {
            return true;
        }
        string? group = SystemNames.IsRetryTopic(topic) ? topic[SystemNames.RetryGroupTopicPrefix.Length..]
            : SystemNames.IsDlqTopic(topic) ? topic[SystemNames.DlqGroupTopicPrefix.Length..]
            : null;
        return group is not null && (_subscriptionGroups.ContainsKey(group) || _appliedOffsets.HasGroup(group));
    }

    /// <summary>Applies a TopicQueuesDrop entry; returns the number of queues dropped (the proposer reports it).</summary>
    private long ApplyTopicQueuesDrop(LogEntry entry, TopicQueuesDropPayload? payload)
    {
        if (payload?.Topics is null) return Skip(entry, "topic queues drop without topics");
        int queues = 0;
        foreach (string topic in payload.Topics.Distinct(StringComparer.Ordinal))
        {
            if (string.IsNullOrEmpty(topic) || _topics.ContainsKey(topic) || IsProtectedTopic(topic)) continue; // same decision everywhere
            int dropped = _queues.Drop(topic, entry.Index);
            int offsets = _appliedOffsets.RemoveTopic(topic);
            _topicDropPositions[topic] = entry.Pos;
            queues += dropped;
            _logger.TopicQueuesDropped(topic, dropped, offsets, entry.Index);
        }
        return queues;
    }

    /// <summary>True when a key-index hit at <paramref name="physicalOffset"/> was stored before <paramref name="topic"/> was dropped.</summary>
    private bool StoredBeforeDrop(string topic, long physicalOffset) =>
        _topicDropPositions.TryGetValue(topic, out long droppedAt) && physicalOffset < droppedAt;

    private List<TopicDropRecord> SortedTopicDrops()
    {
        var drops = _topicDropPositions.Select(static pair => new TopicDropRecord(pair.Key, pair.Value)).ToList();
        drops.Sort(static (a, b) => string.CompareOrdinal(a.Topic, b.Topic));
        return drops;
    }

    private void LoadTopicDrops(IReadOnlyList<TopicDropRecord>? drops)
    {
        _topicDropPositions.Clear();
        foreach (var drop in drops ?? []) _topicDropPositions[drop.Topic] = drop.Pos;
    }
}
