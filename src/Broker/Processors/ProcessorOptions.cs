using RaftMq.Protocol.Messages;
using RaftMq.Protocol.Remoting;

namespace RaftMq.Broker.Processors;

/// <summary>
/// What the request processors need to know about their broker: identity, message limits, topic auto-creation
/// and long-polling bounds. Built by <c>BrokerOptions.ToProcessorOptions()</c> from broker.conf, or in code.
/// </summary>
public sealed record ProcessorOptions
{
    /// <summary>RocketMQ's <c>maxMessageSize</c> default: 4 MiB.</summary>
    public const int DefaultMaxMessageSizeBytes = 4 * 1024 * 1024;

    /// <summary>Longest a pull may stay parked: clients wait 30 s for the reply, so answer well before.</summary>
    public static readonly TimeSpan MaxSuspendCap = TimeSpan.FromSeconds(29);

    public required string ClusterName { get; init; }

    public required string BrokerName { get; init; }

    /// <summary>STOREHOST of every message this broker writes: its announced IPv4 host and listenPort.</summary>
    public required MessageHost StoreHost { get; init; }

    /// <summary>Create unknown topics on first send from the TBW102 defaults (<c>autoCreateTopicEnable</c>).</summary>
    public bool AutoCreateTopicEnable { get; init; } = true;

    /// <summary>Queue count of the TBW102 template; an auto-created topic gets min(request's count, this).</summary>
    public int DefaultTopicQueueNums { get; init; } = 8;

    /// <summary>Largest accepted message body (a batch: the whole batch body).</summary>
    public int MaxMessageSizeBytes { get; init; } = DefaultMaxMessageSizeBytes;

    /// <summary>Accept SQL92 property-filter subscriptions (<c>enablePropertyFilter</c>; off by default, as in RocketMQ).</summary>
    public bool EnablePropertyFilter { get; init; }

    /// <summary>Re-deliveries before a message goes to the group's DLQ, when the request does not say (RocketMQ 16).</summary>
    public int MaxReconsumeTimes { get; init; } = 16;

    /// <summary>Queues of an auto-created <c>%RETRY%group</c> topic (RocketMQ retryQueueNums, 1).</summary>
    public int RetryQueueNums { get; init; } = 1;

    /// <summary>Delay levels (<c>messageDelayLevel</c>) of DELAY sends and send-back retries.</summary>
    public Delay.DelayLevels DelayLevels { get; init; } = Delay.DelayLevels.Default;

    /// <summary>Followers serve pulls of what they applied (committed entries only). The node sets it under
    /// SYNC_FLUSH, where nothing a replica applied can be rolled back; under ASYNC_FLUSH only the leader serves pulls.</summary>
    public bool FollowersServePulls { get; init; }

    /// <summary>RocketMQ's <c>slaveReadEnable</c>: pull responses suggest the subscription group's broker id (or its
    /// whichBrokerWhenConsumeSlowly when the consumer lags) instead of the master's.</summary>
    public bool SlaveReadEnable { get; init; }

    /// <summary>With <see cref="SlaveReadEnable"/>: a consumer whose backlog in the log exceeds this many bytes is sent to
    /// its group's whichBrokerWhenConsumeSlowly (RocketMQ's accessMessageInMemoryMaxRatio, 40 % of the memory).</summary>
    public long ConsumeSlowlyBacklogBytes { get; init; } = MemoryShare(40);

    /// <summary><paramref name="percent"/> % of the memory this process may use: the machine's physical memory, or the
    /// container's limit (RocketMQ takes the machine's total physical memory).</summary>
    public static long MemoryShare(int percent) => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 100 * percent;

    /// <summary>Classic mode's configured role (ASYNC_MASTER, SYNC_MASTER, SLAVE) as runtime info reports it; null in
    /// DLedger mode, where the Raft role decides.</summary>
    public string? ClassicRole { get; init; }

    /// <summary>Upper bound of a parked pull's wait whatever the request asks (below the clients' 30 s timeout); the start
    /// value of <see cref="RuntimeSettings.LongPollingMaxSuspend"/>.</summary>
    public TimeSpan MaxSuspendTime { get; init; } = TimeSpan.FromSeconds(25);

    /// <summary>How often parked pulls are checked for their deadline.</summary>
    public TimeSpan LongPollingCheckInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Parked pulls held at once; beyond it a pull with nothing new is answered PULL_NOT_FOUND at once; the start value
    /// of <see cref="RuntimeSettings.LongPollingMaxParked"/>.</summary>
    public int MaxSuspendedPulls { get; init; } = 10_000;

    /// <summary>Messages per pull reply, whatever the request asks (RocketMQ's in-memory cap, 32).</summary>
    public int MaxPullMessages { get; init; } = 32;

    /// <summary>Bytes per pull reply (RocketMQ's in-memory cap, 256 KiB).</summary>
    public int MaxPullBytes { get; init; } = 256 * 1024;

    /// <summary>Orderly-consumption locks expire this long after their last renewal (RocketMQ 60 s).</summary>
    public TimeSpan QueueLockExpiry { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>A client channel without heartbeat for this long is dropped (RocketMQ 120 s).</summary>
    public TimeSpan ClientChannelExpiry { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>How often idle client channels are looked for (RocketMQ 10 s).</summary>
    public TimeSpan ClientScanInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A half message without outcome is first checked this long after it was stored (<c>transactionTimeOut</c>,
    /// RocketMQ 6 s); its CHECK_IMMUNITY_TIME_IN_SECONDS property overrides it.</summary>
    public TimeSpan TransactionTimeout { get; init; } = TimeSpan.FromSeconds(6);

    /// <summary>Time between two checks of the same half message (<c>transactionCheckInterval</c>, RocketMQ 60 s).</summary>
    public TimeSpan TransactionCheckInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Checks of a half message before it is discarded to TRANS_CHECK_MAX_TIME_TOPIC (<c>transactionCheckMax</c>, 15).</summary>
    public int TransactionCheckMax { get; init; } = 15;

    /// <summary>A pending half message whose newest copy is this old is copied forward in the log, so that log retention
    /// (fileReservedTime) never deletes it: half of fileReservedTime when the broker is built from broker.conf.</summary>
    public TimeSpan HalfMessageRefreshAge { get; init; } = TimeSpan.FromHours(36);

    /// <summary>Send reply extField MSG_REGION.</summary>
    public string Region { get; init; } = "DefaultRegion";

    /// <summary>Send reply extField TRACE_ON.</summary>
    public bool TraceOn { get; init; } = true;

    /// <summary>Workers and bounded queue of the send processors (<c>sendMessageThreadPoolNums</c>, <c>sendThreadPoolQueueCapacity</c>).</summary>
    public ProcessorGroupOptions SendGroup { get; init; } = new("send", WorkerCount: 16, QueueCapacity: 10_000);

    /// <summary>Pull processor (a worker is busy only while reading: parked pulls release it).</summary>
    public ProcessorGroupOptions PullGroup { get; init; } = new("pull", WorkerCount: 8, QueueCapacity: 100_000);

    /// <summary>Heartbeats, offsets, consumer lists, locks, send-back, queries.</summary>
    public ProcessorGroupOptions ClientGroup { get; init; } = new("client", WorkerCount: 4, QueueCapacity: 50_000);

    /// <summary>Administration requests.</summary>
    public ProcessorGroupOptions AdminGroup { get; init; } = new("admin", WorkerCount: 2, QueueCapacity: 1_000);

    public void Validate()
    {
        SendGroup.Validate();
        PullGroup.Validate();
        ClientGroup.Validate();
        AdminGroup.Validate();
        Require(!string.IsNullOrWhiteSpace(ClusterName), nameof(ClusterName), ClusterName, "not empty");
        Require(!string.IsNullOrWhiteSpace(BrokerName), nameof(BrokerName), BrokerName, "not empty");
        Require(DefaultTopicQueueNums is >= 1 and <= 1024, nameof(DefaultTopicQueueNums), DefaultTopicQueueNums, "1-1024");
        Require(MaxMessageSizeBytes >= 1024, nameof(MaxMessageSizeBytes), MaxMessageSizeBytes, "at least 1024");
        Require(MaxReconsumeTimes >= 0, nameof(MaxReconsumeTimes), MaxReconsumeTimes, "not negative");
        Require(RetryQueueNums >= 1, nameof(RetryQueueNums), RetryQueueNums, "at least 1");
        Require(MaxSuspendTime > TimeSpan.Zero && MaxSuspendTime <= MaxSuspendCap, nameof(MaxSuspendTime), MaxSuspendTime, "positive and at most 29 s");
        Require(LongPollingCheckInterval > TimeSpan.Zero && LongPollingCheckInterval <= TimeSpan.FromSeconds(1),
            nameof(LongPollingCheckInterval), LongPollingCheckInterval, "positive and at most 1 s");
        Require(MaxSuspendedPulls >= 0, nameof(MaxSuspendedPulls), MaxSuspendedPulls, "not negative");
        Require(MaxPullMessages >= 1, nameof(MaxPullMessages), MaxPullMessages, "at least 1");
        Require(MaxPullBytes >= 1024, nameof(MaxPullBytes), MaxPullBytes, "at least 1024");
        Require(QueueLockExpiry > TimeSpan.Zero, nameof(QueueLockExpiry), QueueLockExpiry, "positive");
        Require(ClientChannelExpiry > TimeSpan.Zero, nameof(ClientChannelExpiry), ClientChannelExpiry, "positive");
        Require(ClientScanInterval > TimeSpan.Zero, nameof(ClientScanInterval), ClientScanInterval, "positive");
        Require(TransactionTimeout > TimeSpan.Zero, nameof(TransactionTimeout), TransactionTimeout, "positive");
        Require(TransactionCheckInterval > TimeSpan.Zero, nameof(TransactionCheckInterval), TransactionCheckInterval, "positive");
        Require(TransactionCheckMax >= 1, nameof(TransactionCheckMax), TransactionCheckMax, "at least 1");
        Require(HalfMessageRefreshAge > TimeSpan.Zero, nameof(HalfMessageRefreshAge), HalfMessageRefreshAge, "positive");
    }

    private static void Require(bool condition, string name, object value, string expectation)
    {
        if (!condition) throw new ArgumentOutOfRangeException(name, value, $"Processor option {name} = {value} must be {expectation}.");
    }
}
