using System.Buffers;
using RaftMq.Broker.Store;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Messages;

namespace RaftMq.Broker.Tests.Processors.Fakes;

internal sealed partial class FakeMessageStore
{
    /// <summary>Queue offsets below this are "deleted by retention" (OFFSET_TOO_SMALL tests).</summary>
    public long MinOffsetOverride { get; set; }

    public GetResult GetMessages(string topic, int queueId, long queueOffset, int maxMessages, int maxBytes,
        Func<long, bool>? tagFilter, IBufferWriter<byte> destination, StoredRecordPredicate? recordFilter = null)
    {
        lock (_gate)
        {
            long max = _queues.TryGetValue((topic, queueId), out var queue) ? queue.Count : 0;
            long min = Math.Min(MinOffsetOverride, max);
            if (max == 0) return new GetResult(GetStatus.NoMessageInQueue, 0, 0, 0, 0);
            if (queueOffset < min) return new GetResult(GetStatus.OffsetTooSmall, 0, min, min, max);
            if (queueOffset == max) return new GetResult(GetStatus.OffsetOverflowOne, 0, queueOffset, min, max);
            if (queueOffset > max) return new GetResult(GetStatus.OffsetOverflowBadly, 0, max, min, max);
            int found = 0;
            long next = queueOffset;
            int bytes = 0;
            for (; next < max && found < maxMessages; next++)
            {
                var record = Patched(queue![(int)next], next);
                if (found > 0 && bytes + record.Length > maxBytes) break;
                if (tagFilter is not null && !tagFilter(TagsCode(record))) continue;
                if (recordFilter is not null && !recordFilter(record)) continue;
                Write(destination, record);
                bytes += record.Length;
                found++;
            }
            return new GetResult(found > 0 ? GetStatus.Found : GetStatus.NoMatchedMessage, found, next, min, max);
        }
    }

    public long GetMaxOffset(string topic, int queueId)
    {
        lock (_gate) return _queues.TryGetValue((topic, queueId), out var queue) ? queue.Count : 0;
    }

    public long GetMinOffset(string topic, int queueId) => Math.Min(MinOffsetOverride, GetMaxOffset(topic, queueId));

    public long SearchOffsetByTime(string topic, int queueId, long timestampMs)
    {
        lock (_gate)
        {
            if (!_queues.TryGetValue((topic, queueId), out var queue)) return 0;
            for (int i = 0; i < queue.Count; i++)
            {
                if (StoredMessageView.Read(_byPhysicalOffset[queue[i]]).StoreTimestamp >= timestampMs) return i;
            }
            return queue.Count;
        }
    }

    public IReadOnlyList<ConsumeQueueEntry>? ReadConsumeQueue(string topic, int queueId, long index, int count)
    {
        lock (_gate)
        {
            if (!_queues.TryGetValue((topic, queueId), out var queue)) return null;
            if (index < Math.Min(MinOffsetOverride, queue.Count) || index >= queue.Count || count <= 0) return [];
            return [.. queue.Skip((int)index).Take(count).Select(physical =>
            {
                byte[] record = _byPhysicalOffset[physical];
                return new ConsumeQueueEntry(physical, record.Length, TagsCode(record), StoredMessageView.Read(record).StoreTimestamp);
            })];
        }
    }

    public long GetStoreTime(string topic, int queueId, long queueOffset)
    {
        lock (_gate)
        {
            return _queues.TryGetValue((topic, queueId), out var queue) && queueOffset >= 0 && queueOffset < queue.Count
                ? StoredMessageView.Read(_byPhysicalOffset[queue[(int)queueOffset]]).StoreTimestamp
                : -1;
        }
    }

    public long GetEarliestStoreTime(string topic, int queueId)
    {
        lock (_gate)
        {
            return _queues.TryGetValue((topic, queueId), out var queue) && queue.Count > 0
                ? StoredMessageView.Read(_byPhysicalOffset[queue[0]]).StoreTimestamp
                : -1;
        }
    }

    public bool TryReadMessage(long physicalOffset, IBufferWriter<byte> destination)
    {
        lock (_gate)
        {
            if (!_byPhysicalOffset.ContainsKey(physicalOffset)) return false;
            foreach (var ((_, _), queue) in _queues)
            {
                int index = queue.IndexOf(physicalOffset);
                if (index >= 0)
                {
                    Write(destination, Patched(physicalOffset, index));
                    return true;
                }
            }
            return false;
        }
    }

    public IReadOnlyList<long> QueryByKey(string topic, string key, int maxNum, long beginTimestampMs, long endTimestampMs)
    {
        lock (_gate)
        {
            var hits = new List<long>();
            foreach (var ((queueTopic, _), queue) in _queues)
            {
                if (queueTopic != topic) continue;
                foreach (long physical in queue)
                {
                    var message = StoredMessageView.Read(_byPhysicalOffset[physical]).ToDecodedMessage();
                    bool keyMatch = (message.Keys ?? "").Split(' ').Contains(key) || message.Properties["UNIQ_KEY"] == key;
                    if (keyMatch && message.StoreTimestamp >= beginTimestampMs && message.StoreTimestamp <= endTimestampMs && hits.Count < maxNum)
                    {
                        hits.Add(physical);
                    }
                }
            }
            return hits;
        }
    }

    public TopicConfig? FindTopic(string topic) => _topics.GetValueOrDefault(topic);

    public IReadOnlyCollection<TopicConfig> Topics => [.. _topics.Values];

    public ValueTask<StoreStatus> UpsertTopicAsync(TopicConfig topic, CancellationToken cancellationToken = default)
    {
        if (ForcedStatus is { } forced) return ValueTask.FromResult(forced);
        if (!IsWritable) return ValueTask.FromResult(StoreStatus.NotLeader);
        _topics[topic.Name] = topic;
        return ValueTask.FromResult(StoreStatus.Ok);
    }

    public ValueTask<StoreStatus> DeleteTopicAsync(string topic, CancellationToken cancellationToken = default)
    {
        if (!IsWritable) return ValueTask.FromResult(StoreStatus.NotLeader);
        if (!_topics.TryRemove(topic, out _)) return ValueTask.FromResult(StoreStatus.TopicNotFound);
        DropQueues(topic);
        return ValueTask.FromResult(StoreStatus.Ok);
    }

    public long QueryConsumerOffset(string group, string topic, int queueId) =>
        _offsets.TryGetValue((group, topic, queueId), out long offset) ? offset : -1;

    public void CommitConsumerOffset(string group, string topic, int queueId, long offset) => _offsets[(group, topic, queueId)] = offset;

    public ValueTask<StoreStatus> ResetConsumerOffsetsAsync(string group, string topic, IReadOnlyList<(int QueueId, long Offset)> offsets,
        CancellationToken cancellationToken = default)
    {
        if (ForcedStatus is { } forced) return ValueTask.FromResult(forced);
        if (!IsWritable) return ValueTask.FromResult(StoreStatus.NotLeader);
        foreach (var (queueId, offset) in offsets) _offsets[(group, topic, queueId)] = offset;
        return ValueTask.FromResult(StoreStatus.Ok);
    }

    public IReadOnlyDictionary<(string Topic, int QueueId), long> ConsumerOffsets(string group) =>
        _offsets.Where(entry => entry.Key.Group == group).ToDictionary(entry => (entry.Key.Topic, entry.Key.QueueId), entry => entry.Value);

    public IReadOnlyCollection<string> ConsumerGroups => [.. _offsets.Keys.Select(key => key.Group).Distinct()];

    private static long TagsCode(byte[] record)
    {
        var view = StoredMessageView.Read(record);
        return MessageProperties.TryGetValue(view.PropertiesUtf8, "TAGS"u8, out var tags) ? JavaStringHash.ComputeUtf8(tags) : 0;
    }
}
