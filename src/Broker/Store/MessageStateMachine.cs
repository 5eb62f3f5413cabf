using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using RaftMq.Broker.Store.ConsumeQueue;
using RaftMq.Broker.Store.Control;
using RaftMq.Broker.Store.Index;
using RaftMq.Consensus;
using RaftMq.Foundation.Storage;
using RaftMq.Protocol.Bodies;

namespace RaftMq.Broker.Store;

/// <summary>
/// The broker's state machine on the Raft log (docs/design/broker.md): committed entries are applied in log order on
/// every replica and derive the ConsumeQueues, the key index, topic configs, subscription groups, ACL rules, pending
/// transactions and consumer offsets; queue offsets are assigned at apply time, so they are a pure function of the
/// log. It owns recovery (checkpoint + derived files), snapshots and the read model; message bodies are read back from
/// the log it is given. Proposals go through <see cref="MessageStore"/>, the write side.
/// Construct it inside the log's factory (<c>RaftNode.Create(options, log =&gt; new MessageStateMachine(..., log, ...))</c>):
/// the constructor loads the checkpoint and verifies the derived files, so <see cref="AppliedIndex"/> is final before
/// the node decides where applying resumes; it does not read the log.
/// </summary>
public sealed partial class MessageStateMachine : IStateMachine, IDisposable
{
    private readonly MessageStoreOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly IReplicatedLog? _log;
    private readonly IFileSystem _fileSystem;
    private readonly ConsumeQueueTable _queues;
    private readonly KeyIndex _keyIndex;
    private readonly ConcurrentDictionary<string, TopicConfig> _topics = new(StringComparer.Ordinal);
    private readonly ConsumerOffsetTable _appliedOffsets = new();

    /// <summary>Schedule queue id -> next offset to re-deliver; advanced by applying re-delivered messages.</summary>
    private readonly ConcurrentDictionary<int, long> _scheduleProgress = new();
    private readonly StoreMetrics _metrics;

    /// <summary>Held while applying one entry and while capturing metadata, so a checkpoint is taken between entries.</summary>
    private readonly Lock _applyLock = new();
    private long _appliedIndex;
    private long _appliedTerm;
    private int _disposed;

    /// <param name="log">Where committed message bodies are read back (pulls, key queries, key-index catch-up) and how
    /// far log retention went; null when nothing is read back (a state machine that only applies).</param>
    public MessageStateMachine(MessageStoreOptions options, IReplicatedLog? log, ILogger logger, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        options.Validate();
        _options = options;
        _log = log;
        _logger = logger;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _fileSystem = options.FileSystem;
        _fileSystem.CreateDirectory(options.StoreDirectory);
        _queues = new ConsumeQueueTable(_fileSystem, Path.Combine(options.StoreDirectory, "consumequeue"), options.ConsumeQueueFileUnits);
        _keyIndex = new KeyIndex(_fileSystem, Path.Combine(options.StoreDirectory, "index"), options.MaxHashSlotNum, options.MaxIndexNum, logger, options.Bugs);
        _metrics = new StoreMetrics(() => AppliedIndex, () => _keyIndex.FileCount, () => _keyIndex.EntryCount);
        Recover();
    }

    /// <summary>Path of the checkpoint file.</summary>
    public string CheckpointPath => Path.Combine(_options.StoreDirectory, "checkpoint.json");

    public MessageStoreOptions Options => _options;

    public long AppliedIndex => Interlocked.Read(ref _appliedIndex);

    public long AppliedTerm => Interlocked.Read(ref _appliedTerm);

    /// <summary>Raised on the apply thread after messages were dispatched to a queue: topic, queueId, new max offset.</summary>
    public event Action<string, int, long>? MessagesArrived;

    /// <summary>Raised on the apply thread after a leader's noop was applied (a new term's first entry).</summary>
    public event Action? NoopApplied;

    public TopicConfig? FindTopic(string topic) => _topics.TryGetValue(topic, out var config) ? config : null;

    public IReadOnlyCollection<TopicConfig> Topics => [.. _topics.Values];

    /// <summary>The consumer offset the log committed, or -1.</summary>
    public long AppliedConsumerOffset(string group, string topic, int queueId) =>
        _appliedOffsets.TryGet(group, topic, queueId, out long applied) ? applied : -1;

    /// <summary>The group's consumer offsets the log committed: (topic, queueId) -> offset.</summary>
    public IReadOnlyDictionary<(string Topic, int QueueId), long> AppliedConsumerOffsets(string group) => _appliedOffsets.OfGroup(group);

    /// <summary>Groups with a committed offset.</summary>
    public IEnumerable<string> AppliedConsumerGroups => _appliedOffsets.Groups();

    /// <summary>Every committed consumer offset, sorted (checkers compare replicas with it).</summary>
    internal IReadOnlyList<ConsumerOffsetRecord> AppliedConsumerOffsetRecords() => _appliedOffsets.ToRecords();

    /// <summary>Brings the key index up to the applied entries (it may lag after a damaged index file was dropped), reading
    /// them back from the log; called once the log can serve reads, before applying resumes.</summary>
    public void CatchUpKeyIndex()
    {
        lock (_applyLock) CatchUpKeyIndex(long.MaxValue);
    }

    /// <summary>Closes the derived files without a checkpoint (write one first for a clean stop).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _queues.Dispose();
        _keyIndex.Dispose();
        _metrics.Dispose();
    }

    /// <summary>The process died (the simulator's crash): releases the files and writes nothing, not even the key index's
    /// orderly close; buffered ConsumeQueue units are lost.</summary>
    internal void Abandon()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _queues.Dispose();
        _keyIndex.Abandon();
        _metrics.Dispose();
    }
}
