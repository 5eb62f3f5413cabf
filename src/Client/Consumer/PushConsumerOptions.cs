using RaftMq.Protocol.Bodies;

namespace RaftMq.Client.Consumer;

/// <summary>Settings of a <see cref="PushConsumer"/>.</summary>
public sealed record PushConsumerOptions : ClientOptions
{
    /// <summary>Consumer group; consumers of a group share (clustering) or each receive (broadcasting) the messages.</summary>
    public string ConsumerGroup { get; init; } = "";

    /// <summary>Clustering (queues split among the group, offsets on the broker) or broadcasting (every consumer gets everything, offsets in a local file).</summary>
    public MessageModel MessageModel { get; init; } = MessageModel.Clustering;

    /// <summary>Where to start when the group has no committed offset for a queue.</summary>
    public ConsumeFromWhere ConsumeFromWhere { get; init; } = ConsumeFromWhere.ConsumeFromLastOffset;

    /// <summary>Start point for <see cref="ConsumeFromWhere.ConsumeFromTimestamp"/>.</summary>
    public DateTimeOffset ConsumeTimestamp { get; init; } = DateTimeOffset.UtcNow.AddMinutes(-30);

    /// <summary>Handlers running at the same time (concurrent mode), or queues consumed at the same time (orderly).</summary>
    public int ConsumeConcurrency { get; init; } = 20;

    /// <summary>Messages per handler call.</summary>
    public int ConsumeBatchMaxSize { get; init; } = 1;

    /// <summary>Messages asked for per pull.</summary>
    public int PullBatchSize { get; init; } = 32;

    /// <summary>Messages held in memory per queue before pulling pauses.</summary>
    public int PullThresholdForQueue { get; init; } = 1000;

    /// <summary>How long the broker may hold a pull when there is nothing new (long polling).</summary>
    public TimeSpan LongPollingSuspend { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Timeout of one pull request; must exceed <see cref="LongPollingSuspend"/>.</summary>
    public TimeSpan PullTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>First pause after a failed pull; doubles up to <see cref="PullRetryMaxBackoff"/>.</summary>
    public TimeSpan PullRetryMinBackoff { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Longest pause between failed pulls.</summary>
    public TimeSpan PullRetryMaxBackoff { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>How often queues are re-allocated (also done at once when the broker reports a membership change).</summary>
    public TimeSpan RebalanceInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How often consumed offsets are committed to the broker (or written to the local file).</summary>
    public TimeSpan PersistOffsetInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Redeliveries before the broker moves a message to the dead-letter queue %DLQ%group.</summary>
    public int MaxReconsumeTimes { get; init; } = 16;

    /// <summary>Orderly clustering: how often queue locks are renewed.</summary>
    public TimeSpan LockRenewInterval { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Orderly clustering: a lock not renewed for this long is treated as lost.</summary>
    public TimeSpan LockLease { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Orderly: default pause after a suspended batch.</summary>
    public TimeSpan SuspendCurrentQueueTime { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Broadcasting: directory of the local offset files.</summary>
    public string OffsetStoreDirectory { get; init; } =
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".raftmq_offsets");

    /// <summary>Longest wait at shutdown for handlers that are still running.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Writes SubBefore/SubAfter trace records around every handler call to the trace topic (RocketMQ's
    /// enableMsgTrace); asynchronous and bounded, it never blocks or fails consumption (docs/trace.md).</summary>
    public bool EnableMsgTrace { get; init; }

    /// <summary>Trace topic instead of RMQ_SYS_TRACE_TOPIC (RocketMQ's customizedTraceTopic).</summary>
    public string? CustomizedTraceTopic { get; init; }

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        Require(!string.IsNullOrWhiteSpace(ConsumerGroup) && !ConsumerGroup.Contains('%'), nameof(ConsumerGroup), ConsumerGroup, "non-empty without '%'");
        Require(ConsumeConcurrency is >= 1 and <= 1000, nameof(ConsumeConcurrency), ConsumeConcurrency, "1..1000");
        Require(ConsumeBatchMaxSize is >= 1 and <= 1024, nameof(ConsumeBatchMaxSize), ConsumeBatchMaxSize, "1..1024");
        Require(PullBatchSize is >= 1 and <= 1024, nameof(PullBatchSize), PullBatchSize, "1..1024");
        Require(PullThresholdForQueue >= PullBatchSize, nameof(PullThresholdForQueue), PullThresholdForQueue, "at least PullBatchSize");
        RequirePositive(LongPollingSuspend, nameof(LongPollingSuspend));
        Require(PullTimeout > LongPollingSuspend, nameof(PullTimeout), PullTimeout, "longer than LongPollingSuspend");
        RequirePositive(PullRetryMinBackoff, nameof(PullRetryMinBackoff));
        Require(PullRetryMaxBackoff >= PullRetryMinBackoff, nameof(PullRetryMaxBackoff), PullRetryMaxBackoff, "at least PullRetryMinBackoff");
        RequirePositive(RebalanceInterval, nameof(RebalanceInterval));
        RequirePositive(PersistOffsetInterval, nameof(PersistOffsetInterval));
        Require(MaxReconsumeTimes is >= 0 and <= 10_000, nameof(MaxReconsumeTimes), MaxReconsumeTimes, "0..10000");
        RequirePositive(LockRenewInterval, nameof(LockRenewInterval));
        Require(LockLease > LockRenewInterval, nameof(LockLease), LockLease, "longer than LockRenewInterval");
        Require(SuspendCurrentQueueTime >= TimeSpan.Zero, nameof(SuspendCurrentQueueTime), SuspendCurrentQueueTime, "non-negative");
        Require(!string.IsNullOrWhiteSpace(OffsetStoreDirectory), nameof(OffsetStoreDirectory), OffsetStoreDirectory, "a directory path");
        RequirePositive(ShutdownTimeout, nameof(ShutdownTimeout));
        RequireTopicNameOrNull(CustomizedTraceTopic, nameof(CustomizedTraceTopic));
    }
}
