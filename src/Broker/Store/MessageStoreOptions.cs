using RaftMq.Foundation.Storage;

namespace RaftMq.Broker.Store;

/// <summary>Settings of the message store (docs/design/broker.md). Keys named as in broker.conf where RocketMQ has one.</summary>
public sealed record MessageStoreOptions
{
    /// <summary>Root of the derived files: <c>consumequeue/</c>, <c>index/</c>, <c>checkpoint.json</c> (storePathRootDir).</summary>
    public required string StoreDirectory { get; init; }

    /// <summary>Units (20 bytes each) per ConsumeQueue file (mappedFileSizeConsumeQueue / 20); RocketMQ uses 300,000.</summary>
    public int ConsumeQueueFileUnits { get; init; } = 300_000;

    /// <summary>Largest stored message record accepted by a put (maxMessageSize).</summary>
    public int MaxMessageSizeBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>Queue count of auto-created topics (defaultTopicQueueNums); used by the processors that create them.</summary>
    public int DefaultTopicQueueNums { get; init; } = 8;

    /// <summary>How often changed consumer offsets are written to the log as one control entry.</summary>
    public TimeSpan ConsumerOffsetCommitInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How often ConsumeQueue files are fsynced and the checkpoint rewritten.</summary>
    public TimeSpan CheckpointInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a put or control proposal waits for commit before its outcome is Unknown.</summary>
    public TimeSpan AppendTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Hash slots per key index file (maxHashSlotNum, RocketMQ's default 5,000,000).</summary>
    public int MaxHashSlotNum { get; init; } = 5_000_000;

    /// <summary>Entries (indexed keys) per key index file (maxIndexNum, RocketMQ's default 20,000,000); a full file is
    /// sealed and a new one started.</summary>
    public int MaxIndexNum { get; init; } = 20_000_000;

    /// <summary>Where the derived files live: the real disk, or the deterministic simulator's disk with its faults.</summary>
    internal IFileSystem FileSystem { get; init; } = RealFileSystem.Instance;

    /// <summary>Planted bugs (the simulator's tests only).</summary>
    internal StorePlantedBugs Bugs { get; init; }

    /// <summary>Largest maxIndexNum: the entries of one file must stay addressable as one span (20 bytes each).</summary>
    public const int MaxIndexNumLimit = 100_000_000;

    /// <summary>Largest maxHashSlotNum (4 bytes each).</summary>
    public const int MaxHashSlotNumLimit = 500_000_000;

    /// <summary>Throws an error naming the key and value when a setting is out of range.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(StoreDirectory)) throw Invalid(nameof(StoreDirectory), StoreDirectory, "must name a directory");
        if (ConsumeQueueFileUnits < 1) throw Invalid(nameof(ConsumeQueueFileUnits), ConsumeQueueFileUnits, "must be at least 1");
        if (MaxMessageSizeBytes < 128) throw Invalid(nameof(MaxMessageSizeBytes), MaxMessageSizeBytes, "must be at least 128");
        if (DefaultTopicQueueNums is < 1 or > 1024) throw Invalid(nameof(DefaultTopicQueueNums), DefaultTopicQueueNums, "must be in [1, 1024]");
        if (ConsumerOffsetCommitInterval <= TimeSpan.Zero)
        {
            throw Invalid(nameof(ConsumerOffsetCommitInterval), ConsumerOffsetCommitInterval, "must be positive");
        }
        if (CheckpointInterval <= TimeSpan.Zero) throw Invalid(nameof(CheckpointInterval), CheckpointInterval, "must be positive");
        if (AppendTimeout <= TimeSpan.Zero) throw Invalid(nameof(AppendTimeout), AppendTimeout, "must be positive");
        if (MaxHashSlotNum is < 1 or > MaxHashSlotNumLimit) throw Invalid(nameof(MaxHashSlotNum), MaxHashSlotNum, $"must be in [1, {MaxHashSlotNumLimit}]");
        if (MaxIndexNum is < 1 or > MaxIndexNumLimit) throw Invalid(nameof(MaxIndexNum), MaxIndexNum, $"must be in [1, {MaxIndexNumLimit}]");
    }

    private static ArgumentException Invalid(string key, object? value, string rule) =>
        new($"Message store option {key} = '{value}' is invalid: it {rule}.", key);
}
