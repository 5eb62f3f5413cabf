using System.Text.Json.Serialization;
using RaftMq.Broker.Store.Checkpoint;

namespace RaftMq.Broker.Store.Control;

/// <summary>Payload of a TopicDelete record.</summary>
internal sealed record TopicDeletePayload(string Name);

/// <summary>Payload of a TopicQueuesDrop record: the topics whose queues go (each only if still absent from the topic table).</summary>
internal sealed record TopicQueuesDropPayload(IReadOnlyList<string> Topics);

/// <summary>Log position of the entry that last dropped a topic's queues (key-index hits below it are the old topic's).</summary>
internal sealed record TopicDropRecord(string Topic, long Pos);

/// <summary>Payload of a SubscriptionGroupDelete record.</summary>
internal sealed record SubscriptionGroupDeletePayload(string GroupName);

/// <summary>One committed consumer offset.</summary>
internal sealed record ConsumerOffsetRecord(string Group, string Topic, int QueueId, long Offset);

/// <summary>Next offset to deliver of one <c>SCHEDULE_TOPIC_XXXX</c> queue (one per delay level).</summary>
internal sealed record ScheduleProgressRecord(int QueueId, long NextOffset);

/// <summary>Payload of a ConsumerOffsets record: every offset changed since the previous one.</summary>
internal sealed record ConsumerOffsetsPayload(IReadOnlyList<ConsumerOffsetRecord> Offsets);

/// <summary>Payload of a TransactionRollback record: the transaction's half message offset.</summary>
internal sealed record TransactionRollbackPayload(long HalfOffset);

/// <summary>JSON of control payloads, the checkpoint and snapshots (source generated: no reflection).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, Converters = [typeof(TopicConfigStoreConverter)])]
[JsonSerializable(typeof(RaftMq.Protocol.Bodies.TopicConfig))]
[JsonSerializable(typeof(TopicDeletePayload))]
[JsonSerializable(typeof(TopicQueuesDropPayload))]
[JsonSerializable(typeof(ConsumerOffsetsPayload))]
[JsonSerializable(typeof(TransactionRollbackPayload))]
[JsonSerializable(typeof(SubscriptionGroupDeletePayload))]
[JsonSerializable(typeof(RaftMq.Protocol.Bodies.SubscriptionGroupConfig))]
[JsonSerializable(typeof(StoreMetadata))]
[JsonSerializable(typeof(RaftMq.Protocol.Acl.PlainAclConfig))]
internal sealed partial class StoreJsonContext : JsonSerializerContext;
