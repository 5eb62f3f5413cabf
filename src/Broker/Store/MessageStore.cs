using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using RaftMq.Broker.Store.Checkpoint;
using RaftMq.Broker.Store.Control;
using RaftMq.Broker.Store.ConsumeQueue;
using RaftMq.Broker.Store.Index;
using RaftMq.Consensus;
using RaftMq.Consensus.Core;
using RaftMq.Protocol.Bodies;

namespace RaftMq.Broker.Store;

/// <summary>
/// The broker's message store: a deterministic state machine on the Raft log (docs/design/broker.md). Committed
/// entries are applied in log order on every replica and derive the ConsumeQueues, the key index, topic configs and
/// consumer offsets; queue offsets are assigned at apply time, so they are a pure function of the log.
/// Lifecycle: construct (loads the checkpoint and verifies derived files, so <see cref="AppliedIndex"/> is final),
/// <see cref="Attach"/> the log when it was not passed to the constructor, <see cref="StartAsync"/>, <see cref="StopAsync"/>.
/// </summary>
public sealed partial class MessageStore : IMessageStore, IStateMachine, IAsyncDisposable
{
    private readonly MessageStoreOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly ConsumeQueueTable _queues;
    private readonly KeyIndex _keyIndex;
    private readonly ConcurrentDictionary<string, TopicConfig> _topics = new(StringComparer.Ordinal);
    private readonly ConsumerOffsetTable _appliedOffsets = new();

    /// <summary>Schedule queue id -> next offset to re-deliver; advanced by applying re-delivered messages.</summary>
    private readonly ConcurrentDictionary<int, long> _scheduleProgress = new();
    private readonly ConsumerOffsetTable _pendingOffsets = new();
    private readonly OffsetCommitter _offsetCommitter;
    private readonly CheckpointLoop _checkpointLoop;
    private readonly StoreMetrics _metrics;

    /// <summary>Held while applying one entry and while capturing metadata, so a checkpoint is taken between entries.</summary>
    private readonly Lock _applyLock = new();
    private IReplicatedLog? _log;
    private long _appliedIndex;
    private long _appliedTerm;
    private int _writable;
    private bool _started;
    private bool _stopped;

    public MessageStore(IReplicatedLog? log, MessageStoreOptions options, ILogger logger, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _logger = logger;
        _timeProvider = timeProvider ?? TimeProvider.System;
        Directory.CreateDirectory(options.StoreDirectory);
        _queues = new ConsumeQueueTable(Path.Combine(options.StoreDirectory, "consumequeue"), options.ConsumeQueueFileUnits);
        _keyIndex = new KeyIndex(Path.Combine(options.StoreDirectory, "index"), options.MaxHashSlotNum, options.MaxIndexNum, logger);
        _offsetCommitter = new OffsetCommitter(_pendingOffsets, ProposeConsumerOffsetsAsync, _timeProvider,
            options.ConsumerOffsetCommitInterval, logger);
        _checkpointLoop = new CheckpointLoop(WriteCheckpoint, _timeProvider, options.CheckpointInterval, logger);
        _metrics = new StoreMetrics(() => AppliedIndex);
        Recover();
        if (log is not null) Attach(log);
    }

    /// <summary>Path of the checkpoint file.</summary>
    public string CheckpointPath => Path.Combine(_options.StoreDirectory, "checkpoint.json");

    public MessageStoreOptions Options => _options;

    public long AppliedIndex => Interlocked.Read(ref _appliedIndex);

    public long AppliedTerm => Interlocked.Read(ref _appliedTerm);

    public bool IsWritable
    {
        get
        {
            var log = _log;
            if (log is null) return false;
            var state = log.State;
            // A new leader is writable once it applied its own term's noop: every entry before it (with offsets
            // assigned by earlier leaders) is dispatched by then, so no queue offset can be handed out twice.
            return state.Role == RaftRole.Leader && Interlocked.Read(ref _appliedTerm) == state.Term;
        }
    }

    public string? LeaderId => _log?.State.LeaderId;

    public event Action<bool>? RoleChanged;

    public event Action<string, int, long>? MessagesArrived;

    /// <summary>Connects the consensus node (when it had to be created after the store, which it needs as state machine).</summary>
    public void Attach(IReplicatedLog log)
    {
        ArgumentNullException.ThrowIfNull(log);
        if (Interlocked.CompareExchange(ref _log, log, null) is not null) throw new InvalidOperationException("A log is already attached.");
        log.StateChanged += OnStateChanged;
    }

    /// <summary>Brings the key index up to the applied entries (it may lag after a damaged index file was dropped), then
    /// starts the checkpoint loop and the consumer offset committer.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_log is null) throw new InvalidOperationException("Attach the replicated log before starting the message store.");
        if (_started) throw new InvalidOperationException("The message store is already started.");
        lock (_applyLock) CatchUpKeyIndex(long.MaxValue);
        _started = true;
        _checkpointLoop.Start();
        _offsetCommitter.Start();
        ReportWritability();
        return Task.CompletedTask;
    }

    /// <summary>Writes pending consumer offsets (if leader), stops the loops, writes a final checkpoint and closes files.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (_stopped) return;
        _stopped = true;
        if (_started)
        {
            _started = false;
            await _offsetCommitter.StopAsync().ConfigureAwait(false);
            await _checkpointLoop.StopAsync().ConfigureAwait(false);
        }
        WriteCheckpoint();
        if (_log is not null) _log.StateChanged -= OnStateChanged;
        _queues.Dispose();
        _keyIndex.Dispose();
        _metrics.Dispose();
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    private void OnStateChanged(SoftState state)
    {
        if (state.Role != RaftRole.Leader) _pendingOffsets.Clear(); // a later leader must not see this node's stale values
        ReportWritability();
    }

    /// <summary>Raises <see cref="RoleChanged"/> when writability flipped (called on role changes and after applying a noop).</summary>
    private void ReportWritability()
    {
        int writable = IsWritable ? 1 : 0;
        if (Interlocked.Exchange(ref _writable, writable) == writable) return;
        var state = _log?.State ?? default;
        _logger.WritableChanged(writable == 1 ? "writable" : "read-only", state.Role, state.Term, state.LeaderId);
        RoleChanged?.Invoke(writable == 1);
    }
}
