using System.Buffers.Binary;
using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using RaftMq.Broker.Store.Control;
using RaftMq.Broker.Store.ConsumeQueue;
using RaftMq.Broker.Store.Index;
using RaftMq.Consensus.Core;
using RaftMq.Protocol.Acl;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Messages;

namespace RaftMq.Broker.Store;

public sealed partial class MessageStateMachine
{
    /// <summary>Result of applying an entry that assigned no queue offset (noop, control record) or was skipped.</summary>
    public const long NoQueueOffset = -1;

    /// <summary>
    /// Dispatches one committed entry (on the node's apply thread, in log order). Returns the queue offset assigned to a
    /// message, otherwise <see cref="NoQueueOffset"/>. An entry at or below <see cref="AppliedIndex"/> is ignored: its
    /// effects are already in the derived state. A malformed body is logged and skipped, identically on every replica.
    /// </summary>
    public long Apply(LogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        long result = NoQueueOffset;
        LogicalQueue? arrivedQueue = null;
        lock (_applyLock)
        {
            if (entry.Index <= Interlocked.Read(ref _appliedIndex)) return NoQueueOffset;
            CatchUpKeyIndex(entry.Pos);
            if (entry.Type == EntryType.Normal) result = ApplyNormal(entry, out arrivedQueue);
            _keyIndex.MarkCovered(entry.EndPos);
            Interlocked.Exchange(ref _appliedTerm, entry.Term);
            Interlocked.Exchange(ref _appliedIndex, entry.Index);
        }
        if (arrivedQueue is not null) MessagesArrived?.Invoke(arrivedQueue.Topic, arrivedQueue.QueueId, arrivedQueue.NextOffset);
        RaiseAclChangedIfPending();
        if (entry.Type == EntryType.Noop) NoopApplied?.Invoke();
        return result;
    }

    private long ApplyNormal(LogEntry entry, out LogicalQueue? arrivedQueue)
    {
        arrivedQueue = null;
        var body = entry.Body.Span;
        if (body.Length >= 8 && BinaryPrimitives.ReadInt32BigEndian(body[StoredMessageLayout.MagicCodeOffset..]) == StoredMessageLayout.MessageMagicCode)
        {
            return ApplyMessage(entry, out arrivedQueue);
        }
        if (ControlRecord.HasMagic(body)) return ApplyControl(entry);
        return Skip(entry, "neither a stored message nor a control record");
    }

    private long ApplyMessage(LogEntry entry, out LogicalQueue? arrivedQueue)
    {
        arrivedQueue = null;
        if (!StoredMessageView.TryRead(entry.Body.Span, out var view)) return Skip(entry, "stored message layout is inconsistent");
        if (view.TotalSize != entry.Body.Length) return Skip(entry, $"TOTALSIZE {view.TotalSize} differs from the body length {entry.Body.Length}");
        if (view.QueueId < 0) return Skip(entry, $"queue id {view.QueueId} is negative");
        Span<char> topic = stackalloc char[StoredMessageLayout.MaxTopicLength];
        int topicLength = Encoding.UTF8.GetChars(view.TopicUtf8, topic);
        if (topicLength == 0) return Skip(entry, "topic is empty");

        bool halfTopic = view.TopicUtf8.SequenceEqual("RMQ_SYS_TRANS_HALF_TOPIC"u8);
        if (EndsNoPendingTransaction(view, halfTopic)) return NoQueueOffset;
        var properties = view.PropertiesUtf8;
        long tagsCode = MessageProperties.TryGetValue(properties, "TAGS"u8, out var tags) ? JavaStringHash.ComputeUtf8(tags) : 0;
        var queue = _queues.GetOrCreate(topic[..topicLength], view.QueueId);
        long queueOffset = queue.NextOffset;
        long physicalOffset = entry.Pos + EntryLayout.HeaderSize;
        queue.Append(queueOffset, new ConsumeQueueUnit(physicalOffset, view.TotalSize, tagsCode));
        // An entry the index already covers is a replay after a restart (the index was flushed after the checkpoint).
        if (entry.Pos >= _keyIndex.CoveredTo) IndexKeys(queue.Topic, properties, physicalOffset, view.StoreTimestamp);
        if (MessageProperties.TryGetValue(properties, "RMQ_SCHEDULED_FROM"u8, out var scheduledFrom)) AdvanceScheduleProgress(scheduledFrom);
        if (halfTopic) TrackHalfMessage(view, properties, physicalOffset, queueOffset);
        _metrics.MessageApplied(_timeProvider.GetUtcNow().ToUnixTimeMilliseconds() - view.StoreTimestamp);
        arrivedQueue = queue;
        return queueOffset;
    }

    /// <summary>Indexes each of the message's KEYS (space-separated) and its UNIQ_KEY under topic#key.</summary>
    private void IndexKeys(string topic, ReadOnlySpan<byte> properties, long physicalOffset, long storeTimestamp)
    {
        int topicSeed = KeyIndex.TopicSeed(topic);
        if (MessageProperties.TryGetValue(properties, "KEYS"u8, out var keys))
        {
            foreach (var range in keys.Split((byte)' '))
            {
                var key = keys[range];
                if (!key.IsEmpty) _keyIndex.Add(JavaStringHash.ComputeUtf8(key, topicSeed), physicalOffset, storeTimestamp);
            }
        }
        if (MessageProperties.TryGetValue(properties, "UNIQ_KEY"u8, out var uniqueKey))
        {
            _keyIndex.Add(JavaStringHash.ComputeUtf8(uniqueKey, topicSeed), physicalOffset, storeTimestamp);
        }
    }

    /// <summary>A re-delivered delayed message moves its schedule queue's progress past it (never backwards).</summary>
    private void AdvanceScheduleProgress(ReadOnlySpan<byte> scheduledFrom)
    {
        int comma = scheduledFrom.IndexOf((byte)',');
        if (comma <= 0
            || !Utf8Parser.TryParse(scheduledFrom[..comma], out int queueId, out int used) || used != comma
            || !Utf8Parser.TryParse(scheduledFrom[(comma + 1)..], out long offset, out used) || used != scheduledFrom.Length - comma - 1
            || queueId < 0 || offset < 0)
        {
            return; // not written by this broker; the same decision on every replica
        }
        _scheduleProgress.AddOrUpdate(queueId, offset + 1, (_, current) => Math.Max(current, offset + 1));
    }

    private long ApplyControl(LogEntry entry)
    {
        if (!ControlRecord.TryParse(entry.Body, out var type, out var payload)) return Skip(entry, "control record framing is inconsistent");
        try
        {
            switch (type)
            {
                case ControlRecordType.TopicUpsert:
                    var topic = JsonSerializer.Deserialize(payload.Span, StoreJsonContext.Default.TopicConfig);
                    if (topic is null || string.IsNullOrEmpty(topic.Name)) Skip(entry, "topic upsert without a topic name");
                    else _topics[topic.Name] = topic;
                    break;
                case ControlRecordType.TopicDelete:
                    var deleted = JsonSerializer.Deserialize(payload.Span, StoreJsonContext.Default.TopicDeletePayload);
                    if (deleted?.Name is null) Skip(entry, "topic delete without a topic name");
                    else _topics.TryRemove(deleted.Name, out _);
                    break;
                case ControlRecordType.AclConfig:
                    ApplyAclConfig(entry, PlainAclConfig.FromJson(payload.Span));
                    break;
                case ControlRecordType.ConsumerOffsets:
                    ApplyConsumerOffsets(entry, JsonSerializer.Deserialize(payload.Span, StoreJsonContext.Default.ConsumerOffsetsPayload));
                    break;
                case ControlRecordType.SubscriptionGroupUpsert:
                    ApplySubscriptionGroupUpsert(entry, payload);
                    break;
                case ControlRecordType.SubscriptionGroupDelete:
                    ApplySubscriptionGroupDelete(entry, payload);
                    break;
                case ControlRecordType.TransactionRollback:
                    return ApplyRollback(entry, payload);
                case ControlRecordType.TopicQueuesDrop:
                    return ApplyTopicQueuesDrop(entry, JsonSerializer.Deserialize(payload.Span, StoreJsonContext.Default.TopicQueuesDropPayload));
                default:
                    Skip(entry, $"control record type {(short)type} is unknown");
                    break;
            }
        }
        catch (JsonException exception)
        {
            Skip(entry, $"control record {type} payload is not valid JSON: {exception.Message}");
        }
        return NoQueueOffset;
    }

    /// <summary>Rules that do not compile are skipped on every replica alike (the leader validates before proposing).</summary>
    private void ApplyAclConfig(LogEntry entry, PlainAclConfig? config)
    {
        if (config?.Accounts is null || config.GlobalWhiteRemoteAddresses is null)
        {
            Skip(entry, "ACL record without rules");
            return;
        }
        try
        {
            PlainAclRules.Compile(config);
        }
        catch (AclConfigException exception)
        {
            Skip(entry, "ACL record with unusable rules: " + exception.Message);
            return;
        }
        _aclConfig = config;
        Interlocked.Exchange(ref _aclVersion, entry.Index);
        _aclChangedPending = true;
    }

    private void ApplyConsumerOffsets(LogEntry entry, ConsumerOffsetsPayload? payload)
    {
        if (payload?.Offsets is null)
        {
            Skip(entry, "consumer offsets record without offsets");
            return;
        }
        foreach (var record in payload.Offsets)
        {
            if (record?.Group is null || record.Topic is null) continue; // same decision on every replica
            _appliedOffsets.Set(record.Group, record.Topic, record.QueueId, record.Offset);
        }
    }

    private long Skip(LogEntry entry, string reason)
    {
        _logger.MalformedEntrySkipped(entry.Index, entry.Pos, reason);
        return NoQueueOffset;
    }
}
