using System.Buffers;
using RaftMq.Broker.Store.Transactions;
using RaftMq.Protocol.Acl;
using RaftMq.Protocol.Bodies;

namespace RaftMq.Broker.Store;

/// <summary>Reads are answered by the state machine: they see only applied (hence committed) entries.</summary>
public sealed partial class MessageStore
{
    public GetResult GetMessages(string topic, int queueId, long queueOffset, int maxMessages, int maxBytes,
        Func<long, bool>? tagFilter, IBufferWriter<byte> destination, StoredRecordPredicate? recordFilter = null) =>
        _machine.GetMessages(topic, queueId, queueOffset, maxMessages, maxBytes, tagFilter, destination, recordFilter);

    public long GetMaxOffset(string topic, int queueId) => _machine.GetMaxOffset(topic, queueId);

    public long GetMinOffset(string topic, int queueId) => _machine.GetMinOffset(topic, queueId);

    public long GetScheduleProgress(int scheduleQueueId) => _machine.GetScheduleProgress(scheduleQueueId);

    public long SearchOffsetByTime(string topic, int queueId, long timestampMs) => _machine.SearchOffsetByTime(topic, queueId, timestampMs);

    public long GetEarliestStoreTime(string topic, int queueId) => _machine.GetEarliestStoreTime(topic, queueId);

    public long GetStoreTime(string topic, int queueId, long queueOffset) => _machine.GetStoreTime(topic, queueId, queueOffset);

    public bool TryReadMessage(long physicalOffset, IBufferWriter<byte> destination) => _machine.TryReadMessage(physicalOffset, destination);

    public IReadOnlyList<ConsumeQueueEntry>? ReadConsumeQueue(string topic, int queueId, long index, int count) =>
        _machine.ReadConsumeQueue(topic, queueId, index, count);

    public IReadOnlyList<long> QueryByKey(string topic, string key, int maxNum, long beginTimestampMs, long endTimestampMs) =>
        _machine.QueryByKey(topic, key, maxNum, beginTimestampMs, endTimestampMs);

    public PendingTransaction? FindPendingTransaction(long physicalOffset) => _machine.FindPendingTransaction(physicalOffset);

    public IReadOnlyList<PendingTransaction> PendingTransactions() => _machine.PendingTransactions();

    public TopicConfig? FindTopic(string topic) => _machine.FindTopic(topic);

    public IReadOnlyCollection<TopicConfig> Topics => _machine.Topics;

    public SubscriptionGroupConfig? FindSubscriptionGroup(string group) => _machine.FindSubscriptionGroup(group);

    public IReadOnlyCollection<SubscriptionGroupConfig> SubscriptionGroups => _machine.SubscriptionGroups;

    public long SubscriptionGroupVersion => _machine.SubscriptionGroupVersion;

    public PlainAclConfig? AclConfig => _machine.AclConfig;

    public long AclVersion => _machine.AclVersion;

    public event Action? AclConfigChanged
    {
        add => _machine.AclConfigChanged += value;
        remove => _machine.AclConfigChanged -= value;
    }
}
