using System.Text.Json;
using RaftMq.Broker.Store.Control;
using RaftMq.Protocol.Acl;
using RaftMq.Protocol.Bodies;


namespace RaftMq.Broker.Store.Checkpoint;

/// <summary>Next offset of a queue and the offset below which its units are unavailable.</summary>
internal sealed record QueueMetadata(string Topic, int QueueId, long NextOffset, long FloorOffset);

/// <summary>
/// Everything the store derives from the log except ConsumeQueue units and the key index, as of
/// <see cref="AppliedIndex"/>: the content of <c>checkpoint.json</c> and of state-machine snapshots.
/// Lists are sorted so that replicas at the same index produce identical bytes. <c>ScheduleProgress</c> is absent in
/// checkpoints written before delay levels were scheduled (read as empty), <c>Transactions</c> (the pending ones) in those written before transactions;
/// <c>Acl</c> (the plain-ACL rules, with <c>AclVersion</c>, the index of the record that set them) is absent before ACL was ever configured;
/// <c>SubscriptionGroups</c> (sorted by name, with <c>SubscriptionGroupVersion</c>, the index of the last record that changed them) in
/// those written before subscription groups were replicated (read as none); <c>TopicDrops</c> (sorted by topic: the log
/// position of the entry that last dropped each topic's queues) in those written before topics' queues were dropped.
/// </summary>
internal sealed record StoreMetadata(
    int Version,
    long AppliedIndex,
    long AppliedTerm,
    IReadOnlyList<TopicConfig> Topics,
    IReadOnlyList<QueueMetadata> Queues,
    IReadOnlyList<ConsumerOffsetRecord> ConsumerOffsets,
    IReadOnlyList<ScheduleProgressRecord>? ScheduleProgress = null,
    IReadOnlyList<Transactions.PendingTransaction>? Transactions = null,
    PlainAclConfig? Acl = null,
    long AclVersion = 0,
    IReadOnlyList<RaftMq.Protocol.Bodies.SubscriptionGroupConfig>? SubscriptionGroups = null,
    long SubscriptionGroupVersion = 0,
    IReadOnlyList<TopicDropRecord>? TopicDrops = null)
{
    public const int CurrentVersion = 1;

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, StoreJsonContext.Default.StoreMetadata);

    /// <summary>Parses metadata; null (with the reason) when the bytes are not a complete, supported document.</summary>
    public static StoreMetadata? TryParse(ReadOnlySpan<byte> json, out string? problem)
    {
        problem = null;
        try
        {
            var metadata = JsonSerializer.Deserialize(json, StoreJsonContext.Default.StoreMetadata);
            if (metadata is null) problem = "empty document";
            else if (metadata.Version != CurrentVersion) problem = $"version {metadata.Version} is not {CurrentVersion}";
            else if (metadata.Topics is null || metadata.Queues is null || metadata.ConsumerOffsets is null) problem = "incomplete document";
            return problem is null ? metadata : null;
        }
        catch (JsonException exception)
        {
            problem = exception.Message;
            return null;
        }
    }
}
