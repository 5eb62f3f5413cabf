using System.Buffers;
using RaftMq.Protocol.Acl;
using RaftMq.Protocol.Bodies;

namespace RaftMq.Broker.Store;

/// <summary>
/// The broker's message store as the request processors see it: a state machine on the Raft log (see
/// docs/design/broker.md). Writes go through consensus and complete once committed and applied; reads see only
/// dispatched (hence committed) entries. Thread-safe.
/// </summary>
public interface IMessageStore
{
    /// <summary>True while this node is the group leader and has applied every entry of its term so far
    /// (only then are writes accepted and offset commits taken).</summary>
    bool IsWritable { get; }

    /// <summary>Current leader id of the group, if known (for "not master" remarks).</summary>
    string? LeaderId { get; }

    /// <summary>Raised after a role change (true = became writable leader).</summary>
    event Action<bool>? RoleChanged;

    /// <summary>Raised on the dispatcher thread after messages were dispatched to a queue (for long polling).
    /// Arguments: topic, queueId, new max offset. Handlers must be quick and never block.</summary>
    event Action<string, int, long>? MessagesArrived;

    /// <summary>Stores messages already encoded in the stored-message layout (QUEUEOFFSET/PHYSICALOFFSET 0, all other
    /// fields final), all for the same topic and queue, as consecutive entries.</summary>
    ValueTask<PutResult> PutMessagesAsync(string topic, int queueId, IReadOnlyList<ReadOnlyMemory<byte>> storedMessages,
        CancellationToken cancellationToken = default);

    /// <summary>Reads up to <paramref name="maxMessages"/> messages (and at most <paramref name="maxBytes"/>) from a queue
    /// starting at <paramref name="queueOffset"/>, keeping only units whose tag hash passes <paramref name="tagFilter"/>
    /// (null = all). Matching messages are written, with QUEUEOFFSET and PHYSICALOFFSET patched, to
    /// <paramref name="destination"/> back to back. A <paramref name="recordFilter"/> (SQL92 selectors) sees each
    /// tag-passing message record and drops those it rejects; skipped messages still advance the next offset.</summary>
    /// <summary>Appends records each addressed to its own topic and queue as contiguous entries (a committed part is
    /// always a prefix); Ok once all are committed and applied.</summary>
    ValueTask<StoreStatus> PutRecordsAsync(IReadOnlyList<ReadOnlyMemory<byte>> storedMessages, CancellationToken cancellationToken = default);

    GetResult GetMessages(string topic, int queueId, long queueOffset, int maxMessages, int maxBytes,
        Func<long, bool>? tagFilter, IBufferWriter<byte> destination, StoredRecordPredicate? recordFilter = null);

    long GetMaxOffset(string topic, int queueId);

    /// <summary>Next offset of <c>SCHEDULE_TOPIC_XXXX</c> queue <paramref name="scheduleQueueId"/> to re-deliver (as
    /// applied: every re-delivered message carries RMQ_SCHEDULED_FROM); 0 when none was re-delivered.</summary>
    long GetScheduleProgress(int scheduleQueueId);
    long GetMinOffset(string topic, int queueId);

    /// <summary>First queue offset whose store time is &gt;= timestamp (RocketMQ semantics: max offset if none).</summary>
    long SearchOffsetByTime(string topic, int queueId, long timestampMs);

    /// <summary>Store time of the earliest retained message in the queue, or -1.</summary>
    long GetEarliestStoreTime(string topic, int queueId);

    /// <summary>Store time of the message at a queue offset, or -1 when the queue has no readable message there.</summary>
    long GetStoreTime(string topic, int queueId, long queueOffset);

    /// <summary>Writes the message at a physical offset (patched) to destination; false if unknown.</summary>
    bool TryReadMessage(long physicalOffset, IBufferWriter<byte> destination);

    /// <summary>Up to <paramref name="count"/> ConsumeQueue units of the queue from unit <paramref name="index"/>, each with its
    /// message's store time; null when the queue does not exist here, empty when the index lies outside [min, max).</summary>
    IReadOnlyList<ConsumeQueueEntry>? ReadConsumeQueue(string topic, int queueId, long index, int count);

    /// <summary>Physical offsets of messages of a topic with this KEYS entry or UNIQ_KEY, stored in [begin, end] ms.</summary>
    IReadOnlyList<long> QueryByKey(string topic, string key, int maxNum, long beginTimestampMs, long endTimestampMs);

    /// <summary>The pending transaction one of whose half-message copies is at <paramref name="physicalOffset"/>, or null
    /// (never prepared here, or already committed, rolled back or discarded).</summary>
    Transactions.PendingTransaction? FindPendingTransaction(long physicalOffset);

    /// <summary>Every pending transaction, by half message offset (what the check service walks).</summary>
    IReadOnlyList<Transactions.PendingTransaction> PendingTransactions();

    /// <summary>Appends a committed real message or a discarded copy whose PREPARED_TX_OFFSET names a pending transaction;
    /// Ended says whether it ended it (false: another outcome came first and this record stays invisible).</summary>
    ValueTask<Transactions.TransactionEndResult> EndTransactionWithRecordAsync(ReadOnlyMemory<byte> record, CancellationToken cancellationToken = default);

    /// <summary>Appends a rollback of the transaction whose half message is at <paramref name="halfOffset"/>.</summary>
    ValueTask<Transactions.TransactionEndResult> RollbackTransactionAsync(long halfOffset, CancellationToken cancellationToken = default);

    TopicConfig? FindTopic(string topic);
    IReadOnlyCollection<TopicConfig> Topics { get; }

    /// <summary>Creates or updates a topic through the log (leader only).</summary>
    ValueTask<StoreStatus> UpsertTopicAsync(TopicConfig topic, CancellationToken cancellationToken = default);

    /// <summary>Removes a topic through the log (leader only), and with it its ConsumeQueues, consumer offsets and
    /// key-index hits (an entry right after the delete, in the same append).</summary>
    ValueTask<StoreStatus> DeleteTopicAsync(string topic, CancellationToken cancellationToken = default);

    /// <summary>Topics not in the topic table that still have ConsumeQueues or committed consumer offsets, system
    /// topics (RMQ_SYS_*, SCHEDULE_TOPIC_XXXX, ..., retry/DLQ topics of known groups) excepted; sorted.</summary>
    IReadOnlyList<string> UnusedTopics();

    /// <summary>Drops, through the log (leader only), the queues, consumer offsets and key-index hits of those
    /// <paramref name="topics"/> still unused when the entry applies; Ok once applied here, with the queue count.</summary>
    ValueTask<TopicQueuesDropResult> DropTopicQueuesAsync(IReadOnlyList<string> topics, CancellationToken cancellationToken = default);

    /// <summary>A consumer group's subscription settings as the log set them, or null (the group uses the defaults).</summary>
    RaftMq.Protocol.Bodies.SubscriptionGroupConfig? FindSubscriptionGroup(string group);

    /// <summary>Every consumer group with settings of its own.</summary>
    IReadOnlyCollection<RaftMq.Protocol.Bodies.SubscriptionGroupConfig> SubscriptionGroups { get; }

    /// <summary>Log index of the last record that changed a subscription group (0 when none): the table's data version.</summary>
    long SubscriptionGroupVersion { get; }

    /// <summary>Creates or replaces a group's subscription settings through the log (leader only); Ok once applied here.</summary>
    ValueTask<StoreStatus> UpsertSubscriptionGroupAsync(RaftMq.Protocol.Bodies.SubscriptionGroupConfig config, CancellationToken cancellationToken = default);

    /// <summary>Removes a group's subscription settings through the log (leader only).</summary>
    ValueTask<StoreStatus> DeleteSubscriptionGroupAsync(string group, CancellationToken cancellationToken = default);

    /// <summary>The plain-ACL rules the log applied last, or null when no ACL record was applied yet.</summary>
    PlainAclConfig? AclConfig { get; }

    /// <summary>Log index of the ACL record that set <see cref="AclConfig"/> (0 when none): the rules' version.</summary>
    long AclVersion { get; }

    /// <summary>Raised on the apply thread after an ACL record was applied (or a snapshot restored one). Must be quick.</summary>
    event Action? AclConfigChanged;

    /// <summary>Replaces the ACL rules through the log (leader only); Ok once applied here.</summary>
    ValueTask<StoreStatus> ReplaceAclConfigAsync(PlainAclConfig config, CancellationToken cancellationToken = default);

    /// <summary>Committed consumer offset, or -1 when the group never committed one for this queue.</summary>
    long QueryConsumerOffset(string group, string topic, int queueId);

    /// <summary>Records a consumer offset on the leader; a background committer writes changed offsets to the log
    /// coalesced (at most one control entry per second), so that followers and a future leader know them.</summary>
    void CommitConsumerOffset(string group, string topic, int queueId, long offset);

    /// <summary>Sets the group's offsets of the topic's queues (backwards too) and writes them to the log at once (leader
    /// only); Ok once applied here.</summary>
    ValueTask<StoreStatus> ResetConsumerOffsetsAsync(string group, string topic, IReadOnlyList<(int QueueId, long Offset)> offsets,
        CancellationToken cancellationToken = default);

    /// <summary>All committed offsets of a group (for admin consumer progress): (topic, queueId) -> offset.</summary>
    IReadOnlyDictionary<(string Topic, int QueueId), long> ConsumerOffsets(string group);
    IReadOnlyCollection<string> ConsumerGroups { get; }
}

/// <summary>One ConsumeQueue unit as admin tools see it: where the message lies in the CommitLog, its size, its tag hash, and
/// when it was stored (ms since 1970; -1 when its bytes are no longer in the log).</summary>
public readonly record struct ConsumeQueueEntry(long PhysicalOffset, int Size, long TagsCode, long StoreTimestamp);

public enum StoreStatus : byte
{
    Ok,
    NotLeader,
    Busy,

    /// <summary>Appended but not known committed (timeout / leadership change): outcome unknown.</summary>
    Unknown,
    TopicNotFound,
    MessageIllegal,
}

/// <summary>Outcome of a queue drop: Ok with the number of ConsumeQueues dropped, or why not.</summary>
public readonly record struct TopicQueuesDropResult(StoreStatus Status, int Queues);

/// <summary>Outcome of a put; on Ok, QueueOffset is the first assigned offset and PhysicalOffset the first message's.</summary>
public readonly record struct PutResult(StoreStatus Status, long QueueOffset, long PhysicalOffset, string? LeaderId);

public enum GetStatus : byte
{
    Found,
    NoMatchedMessage,
    NoMessageInQueue,
    OffsetTooSmall,
    OffsetOverflowOne,
    OffsetOverflowBadly,
    NoMatchedLogicQueue,
}

/// <summary>Result of a read: messages written, next offset to ask for, and the queue's bounds.</summary>
public readonly record struct GetResult(GetStatus Status, int MessageCount, long NextBeginOffset, long MinOffset, long MaxOffset);
