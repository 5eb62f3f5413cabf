using System.Text;
using System.Text.Json;
using RaftMq.Broker.Store.Control;
using RaftMq.Broker.Store.Transactions;
using RaftMq.Consensus;
using RaftMq.Consensus.Core;
using RaftMq.Protocol.Acl;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Messages;

namespace RaftMq.Broker.Store;

public sealed partial class MessageStore
{
    /// <summary>
    /// Appends each message as one entry in a single append (so they are contiguous) and completes once they are
    /// committed and applied. Topic existence and queue-count checks belong to the processors (they also write system
    /// topics such as retry and schedule queues); the store checks that each record is well formed and addressed to
    /// <paramref name="topic"/>/<paramref name="queueId"/>.
    /// </summary>
    public async ValueTask<PutResult> PutMessagesAsync(string topic, int queueId, IReadOnlyList<ReadOnlyMemory<byte>> storedMessages,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(topic);
        ArgumentNullException.ThrowIfNull(storedMessages);
        if (!IsWritable) return new PutResult(StoreStatus.NotLeader, -1, -1, LeaderId);
        if (!AreWellFormed(topic, queueId, storedMessages)) return new PutResult(StoreStatus.MessageIllegal, -1, -1, LeaderId);
        var outcome = await _log.AppendAsync(storedMessages, _options.AppendTimeout, cancellationToken).ConfigureAwait(false);
        var status = ToStoreStatus(outcome.Status);
        return status == StoreStatus.Ok
            ? new PutResult(StoreStatus.Ok, outcome.Result, outcome.Pos + EntryLayout.HeaderSize, outcome.LeaderId)
            : new PutResult(status, -1, -1, outcome.LeaderId ?? LeaderId);
    }

    /// <summary>
    /// Appends records each addressed to its own topic and queue (re-delivered delayed messages) in one append, so they
    /// are contiguous entries; completes once they are committed and applied.
    /// </summary>
    public async ValueTask<StoreStatus> PutRecordsAsync(IReadOnlyList<ReadOnlyMemory<byte>> storedMessages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(storedMessages);
        if (!IsWritable) return StoreStatus.NotLeader;
        if (!AreWellFormed(null, 0, storedMessages)) return StoreStatus.MessageIllegal;
        var outcome = await _log.AppendAsync(storedMessages, _options.AppendTimeout, cancellationToken).ConfigureAwait(false);
        return ToStoreStatus(outcome.Status);
    }

    public ValueTask<StoreStatus> UpsertTopicAsync(TopicConfig topic, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(topic);
        if (!IsValidTopicConfig(topic)) return ValueTask.FromResult(StoreStatus.MessageIllegal);
        byte[] payload = JsonSerializer.SerializeToUtf8Bytes(topic, StoreJsonContext.Default.TopicConfig);
        return ProposeControlAsync(ControlRecordType.TopicUpsert, payload, cancellationToken);
    }

    /// <summary>Removes the topic from the table and drops its queues, consumer offsets and key-index hits (RocketMQ's
    /// deleteTopic runs cleanUnusedTopic right after): two entries in one append, so nothing lands between them.</summary>
    public async ValueTask<StoreStatus> DeleteTopicAsync(string topic, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(topic);
        if (!IsWritable) return StoreStatus.NotLeader;
        if (_machine.FindTopic(topic) is null) return StoreStatus.TopicNotFound;
        byte[] delete = JsonSerializer.SerializeToUtf8Bytes(new TopicDeletePayload(topic), StoreJsonContext.Default.TopicDeletePayload);
        _pendingOffsets.RemoveTopic(topic);
        ReadOnlyMemory<byte>[] entries =
        [
            ControlRecord.Encode(ControlRecordType.TopicDelete, delete),
            ControlRecord.Encode(ControlRecordType.TopicQueuesDrop, DropPayload([topic])),
        ];
        var outcome = await _log.AppendAsync(entries, _options.AppendTimeout, cancellationToken).ConfigureAwait(false);
        return ToStoreStatus(outcome.Status);
    }

    /// <summary>Drops the queues, consumer offsets and key-index hits of those <paramref name="topics"/> that are still
    /// unused when the entry applies (cleanUnusedTopic); the result counts the queues dropped.</summary>
    public async ValueTask<TopicQueuesDropResult> DropTopicQueuesAsync(IReadOnlyList<string> topics, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(topics);
        if (!IsWritable) return new TopicQueuesDropResult(StoreStatus.NotLeader, 0);
        if (topics.Count == 0) return new TopicQueuesDropResult(StoreStatus.Ok, 0);
        foreach (string topic in topics) _pendingOffsets.RemoveTopic(topic); // else the committer would write them back
        ReadOnlyMemory<byte>[] entries = [ControlRecord.Encode(ControlRecordType.TopicQueuesDrop, DropPayload(topics))];
        var outcome = await _log.AppendAsync(entries, _options.AppendTimeout, cancellationToken).ConfigureAwait(false);
        var status = ToStoreStatus(outcome.Status);
        return new TopicQueuesDropResult(status, status == StoreStatus.Ok ? (int)Math.Max(0, outcome.Result) : 0);
    }

    public IReadOnlyList<string> UnusedTopics() => _machine.UnusedTopics();

    private static byte[] DropPayload(IReadOnlyList<string> topics) =>
        JsonSerializer.SerializeToUtf8Bytes(new TopicQueuesDropPayload(topics), StoreJsonContext.Default.TopicQueuesDropPayload);

    public ValueTask<StoreStatus> ReplaceAclConfigAsync(PlainAclConfig config, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        return ProposeControlAsync(ControlRecordType.AclConfig, config.ToJson(), cancellationToken);
    }

    public ValueTask<StoreStatus> UpsertSubscriptionGroupAsync(SubscriptionGroupConfig config, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.Problem() is not null) return ValueTask.FromResult(StoreStatus.MessageIllegal);
        byte[] payload = JsonSerializer.SerializeToUtf8Bytes(config, StoreJsonContext.Default.SubscriptionGroupConfig);
        return ProposeControlAsync(ControlRecordType.SubscriptionGroupUpsert, payload, cancellationToken);
    }

    public ValueTask<StoreStatus> DeleteSubscriptionGroupAsync(string group, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(group);
        byte[] payload = JsonSerializer.SerializeToUtf8Bytes(new SubscriptionGroupDeletePayload(group), StoreJsonContext.Default.SubscriptionGroupDeletePayload);
        return ProposeControlAsync(ControlRecordType.SubscriptionGroupDelete, payload, cancellationToken);
    }

    /// <summary>
    /// Writes a record that ends a transaction: the committed real message, or the discarded copy in
    /// <c>TRANS_CHECK_MAX_TIME_TOPIC</c>; its PREPARED_TX_OFFSET names the transaction. Ended is false when another
    /// outcome was applied first: then the record is inert (never dispatched to a queue).
    /// </summary>
    public async ValueTask<TransactionEndResult> EndTransactionWithRecordAsync(ReadOnlyMemory<byte> record, CancellationToken cancellationToken = default)
    {
        if (!IsWritable) return new TransactionEndResult(StoreStatus.NotLeader, false, LeaderId);
        ReadOnlyMemory<byte>[] entries = [record];
        if (!AreWellFormed(null, 0, entries) || StoredMessageView.Read(record.Span).PreparedTransactionOffset <= 0)
        {
            return new TransactionEndResult(StoreStatus.MessageIllegal, false, LeaderId);
        }
        var outcome = await _log.AppendAsync(entries, _options.AppendTimeout, cancellationToken).ConfigureAwait(false);
        var status = ToStoreStatus(outcome.Status);
        return new TransactionEndResult(status, status == StoreStatus.Ok && outcome.Result != MessageStateMachine.NoQueueOffset, outcome.LeaderId ?? LeaderId);
    }

    /// <summary>Writes a rollback record for the transaction whose half message is at <paramref name="halfOffset"/>.</summary>
    public async ValueTask<TransactionEndResult> RollbackTransactionAsync(long halfOffset, CancellationToken cancellationToken = default)
    {
        if (!IsWritable) return new TransactionEndResult(StoreStatus.NotLeader, false, LeaderId);
        byte[] payload = JsonSerializer.SerializeToUtf8Bytes(new TransactionRollbackPayload(halfOffset), StoreJsonContext.Default.TransactionRollbackPayload);
        ReadOnlyMemory<byte>[] entries = [ControlRecord.Encode(ControlRecordType.TransactionRollback, payload)];
        var outcome = await _log.AppendAsync(entries, _options.AppendTimeout, cancellationToken).ConfigureAwait(false);
        var status = ToStoreStatus(outcome.Status);
        return new TransactionEndResult(status, status == StoreStatus.Ok && outcome.Result == MessageStateMachine.TransactionEnded, outcome.LeaderId ?? LeaderId);
    }

    private ValueTask<StoreStatus> ProposeConsumerOffsetsAsync(IReadOnlyList<ConsumerOffsetRecord> offsets, CancellationToken cancellationToken)
    {
        byte[] payload = JsonSerializer.SerializeToUtf8Bytes(new ConsumerOffsetsPayload(offsets), StoreJsonContext.Default.ConsumerOffsetsPayload);
        return ProposeControlAsync(ControlRecordType.ConsumerOffsets, payload, cancellationToken);
    }

    /// <summary>Appends one control record; completes once it is applied here (or with why not).</summary>
    private async ValueTask<StoreStatus> ProposeControlAsync(ControlRecordType type, byte[] payload, CancellationToken cancellationToken)
    {
        if (!IsWritable) return StoreStatus.NotLeader;
        ReadOnlyMemory<byte>[] entries = [ControlRecord.Encode(type, payload)];
        var outcome = await _log.AppendAsync(entries, _options.AppendTimeout, cancellationToken).ConfigureAwait(false);
        return ToStoreStatus(outcome.Status);
    }

    /// <summary>Every record well formed and, unless <paramref name="topic"/> is null, addressed to topic/queueId
    /// (with a null topic: to some non-empty topic and a non-negative queue).</summary>
    private bool AreWellFormed(string? topic, int queueId, IReadOnlyList<ReadOnlyMemory<byte>> storedMessages)
    {
        if (storedMessages.Count == 0 || queueId < 0) return false;
        Span<byte> topicUtf8 = stackalloc byte[StoredMessageLayout.MaxTopicLength];
        int topicLength = 0;
        if (topic is not null && (!Encoding.UTF8.TryGetBytes(topic, topicUtf8, out topicLength) || topicLength == 0)) return false;
        foreach (var message in storedMessages)
        {
            if (message.Length > _options.MaxMessageSizeBytes) return false;
            if (!StoredMessageView.TryRead(message.Span, out var view) || view.TotalSize != message.Length) return false;
            bool addressed = topic is null
                ? view.QueueId >= 0 && !view.TopicUtf8.IsEmpty
                : view.QueueId == queueId && view.TopicUtf8.SequenceEqual(topicUtf8[..topicLength]);
            if (!addressed) return false;
        }
        return true;
    }

    private static bool IsValidTopicConfig(TopicConfig topic) =>
        !string.IsNullOrEmpty(topic.Name)
        && Encoding.UTF8.GetByteCount(topic.Name) <= StoredMessageLayout.MaxTopicLength
        && topic.ReadQueueNums is >= 0 and <= 1024
        && topic.WriteQueueNums is >= 0 and <= 1024;

    private static StoreStatus ToStoreStatus(AppendStatus status) => status switch
    {
        AppendStatus.Committed => StoreStatus.Ok,
        AppendStatus.NotLeader => StoreStatus.NotLeader,
        AppendStatus.Busy => StoreStatus.Busy,
        _ => StoreStatus.Unknown,
    };
}
