using Microsoft.Extensions.Logging;
using RaftMq.Broker.Store.Control;
using RaftMq.Consensus;
using RaftMq.Consensus.Core;
using RaftMq.Foundation.Background;

namespace RaftMq.Broker.Store;

/// <summary>
/// The broker's message store as the processors use it (docs/design/broker.md): the write side, which turns puts,
/// topic, group, ACL and offset changes into proposals to the replicated log, over the <see cref="MessageStateMachine"/>
/// that applies the committed entries and answers every read. Built once both exist:
/// <code>
/// MessageStateMachine? machine = null;
/// var node = RaftNode.Create(consensus, log =&gt; machine = new MessageStateMachine(options, log, logger), loggers);
/// var store = new MessageStore(machine!, node, logger);
/// </code>
/// Lifecycle: <see cref="StartAsync"/> (key-index catch-up, checkpoint loop, offset committer), <see cref="StopAsync"/>.
/// </summary>
public sealed partial class MessageStore : IMessageStore, IAsyncDisposable
{
    private readonly MessageStateMachine _machine;
    private readonly IReplicatedLog _log;
    private readonly MessageStoreOptions _options;
    private readonly ILogger _logger;
    private readonly ConsumerOffsetTable _pendingOffsets = new();
    private readonly OffsetCommitter _offsetCommitter;
    private readonly TimeProvider _time;
    private BackgroundLoop? _checkpointLoop;
    private int _writable;
    private bool _started;
    private bool _stopped;

    public MessageStore(MessageStateMachine machine, IReplicatedLog log, ILogger logger, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(machine);
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(logger);
        _machine = machine;
        _log = log;
        _options = machine.Options;
        _logger = logger;
        var time = timeProvider ?? TimeProvider.System;
        _offsetCommitter = new OffsetCommitter(_pendingOffsets, ProposeConsumerOffsetsAsync, time, _options.ConsumerOffsetCommitInterval, logger);
        _time = time;
        log.StateChanged += OnStateChanged;
        machine.NoopApplied += OnNoopApplied;
    }

    /// <summary>The state machine this store proposes to and reads from.</summary>
    public MessageStateMachine StateMachine => _machine;

    public MessageStoreOptions Options => _options;

    public bool IsWritable
    {
        get
        {
            var state = _log.State;
            // A new leader is writable once it applied its own term's noop: every entry before it (with offsets
            // assigned by earlier leaders) is dispatched by then, so no queue offset can be handed out twice.
            return state.Role == RaftRole.Leader && _machine.AppliedTerm == state.Term;
        }
    }

    public string? LeaderId => _log.State.LeaderId;

    public event Action<bool>? RoleChanged;

    public event Action<string, int, long>? MessagesArrived
    {
        add => _machine.MessagesArrived += value;
        remove => _machine.MessagesArrived -= value;
    }

    /// <summary>Brings the key index up to the applied entries, then starts the checkpoint loop and the consumer offset committer.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_started || _stopped) throw new InvalidOperationException("The message store starts once.");
        _machine.CatchUpKeyIndex();
        _started = true;
        _checkpointLoop = BackgroundLoop.Start(
            new BackgroundLoopOptions { Name = "message store checkpoint", Period = _options.CheckpointInterval, TimeProvider = _time },
            _ =>
            {
                _machine.WriteCheckpoint();
                return Task.CompletedTask;
            },
            _logger);
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
            if (_checkpointLoop is not null) await _checkpointLoop.DisposeAsync().ConfigureAwait(false);
            _checkpointLoop = null;
        }
        _machine.WriteCheckpoint();
        _log.StateChanged -= OnStateChanged;
        _machine.NoopApplied -= OnNoopApplied;
        _machine.Dispose();
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    private void OnStateChanged(SoftState state)
    {
        if (state.Role != RaftRole.Leader) _pendingOffsets.Clear(); // a later leader must not see this node's stale values
        ReportWritability();
    }

    private void OnNoopApplied()
    {
        if (_started) ReportWritability();
    }

    /// <summary>Raises <see cref="RoleChanged"/> when writability flipped (called on role changes and after applying a noop).</summary>
    private void ReportWritability()
    {
        int writable = IsWritable ? 1 : 0;
        if (Interlocked.Exchange(ref _writable, writable) == writable) return;
        var state = _log.State;
        _logger.WritableChanged(writable == 1 ? "writable" : "read-only", state.Role, state.Term, state.LeaderId);
        RoleChanged?.Invoke(writable == 1);
    }
}
