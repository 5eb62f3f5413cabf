using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using RaftMq.Consensus.Configuration;
using RaftMq.Consensus.Core;
using RaftMq.Consensus.Log;
using RaftMq.Consensus.Transport;

namespace RaftMq.Consensus.Runtime;

/// <summary>
/// A running Raft group member: the channels, timers and sockets around one <see cref="NodeDriver"/>, which owns the
/// core, the writer side of the log and the state machine and does all deterministic work. One loop task takes
/// inputs (peer messages, proposals, ticks, peer disconnects, transfer requests, retention work) and runs the
/// driver's rounds; the deterministic simulator runs the same driver under virtual time.
/// </summary>
/// <remarks>
/// Apply runs on the loop: the core hands at most MaxAppendBytes of committed entries per Ready and the loop
/// handles at most <see cref="RaftNodeSettings.MaxReadiesPerRound"/> Readies before it looks at new inputs again,
/// so a long catch-up never starves ticks or heartbeats, and no second thread ever touches the state machine.
/// A halted driver (event 1003) makes the node stop its transport so that peers fail over at once, and answer
/// every append with NotLeader.
/// </remarks>
public sealed partial class RaftNode : IReplicatedLog, IAsyncDisposable
{
    private readonly ConsensusOptions _options;
    private readonly RaftNodeSettings _settings;
    private readonly ILogger _logger;
    private readonly SegmentedLog _log;
    private readonly NodeDriver _driver;
    private readonly PeerTransport _transport;
    private readonly RaftMetrics _metrics;
    private readonly RetentionService? _retention;
    private readonly Channel<NodeInput> _inputs;
    private readonly ConcurrentQueue<ControlItem> _control = new();
    private readonly Channel<SoftState> _stateEvents = Channel.CreateUnbounded<SoftState>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private readonly ReaderWriterLockSlim _readGate = new(LockRecursionPolicy.NoRecursion);
    private readonly Lock _lifecycle = new();
    private readonly long[] _sentByType = new long[(int)MessageType.TimeoutNow + 1];

    private int _pendingTicks;
    private int _wakeQueued;
    private int _inputsThisRound;
    private bool _logClosed;
    private Task _loop = Task.CompletedTask;
    private Task _background = Task.CompletedTask;
    private Task? _stopped;
    private Task _haltedTransportStop = Task.CompletedTask;
    private readonly TaskCompletionSource<string> _halted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _started;

    public string SelfId => _options.SelfId;

    public SoftState State => _driver.State;

    /// <summary>Group name (<c>dLegerGroup</c>).</summary>
    public string Group => _options.Group;

    public event Action<SoftState>? StateChanged;

    public long FirstRetainedPos => ReadLog(static log => log.FirstPos, -1);

    /// <summary>Commit index as last seen by the loop.</summary>
    public long CommitIndex => _driver.CommitIndex;

    /// <summary>Index of the last entry applied to the state machine (or skipped as already applied at start).</summary>
    public long AppliedIndex => _driver.AppliedIndex;

    /// <summary>Pos just past the last committed entry this node has applied: TryReadCommitted serves below it.</summary>
    public long CommittedEndPos => _driver.CommittedEndPos;

    /// <summary>True when the node found its own log corrupt at start: it never votes or leads.</summary>
    public bool RefusesToLead => _driver.RefusesToLead;

    /// <summary>Why the node halted, or null while it takes part in the group.</summary>
    public string? HaltReason => _driver.HaltReason;

    /// <summary>Completes with the reason once the node halts (it never completes for a node that keeps running or
    /// stops cleanly), so that a host can stop the process without polling <see cref="HaltReason"/>.</summary>
    public Task<string> Halted => _halted.Task;

    /// <summary>The transport's bound endpoint (after <see cref="StartAsync"/>).</summary>
    public System.Net.IPEndPoint? PeerEndpoint => _transport.LocalEndpoint;

    private bool SyncFlush => _options.FlushDiskType == FlushDiskType.SyncFlush;

    /// <summary>Binds the peer listener and starts the loop, the tick timer, the inbound pump and retention.</summary>
    public async Task StartAsync(CancellationToken ct = default)
    {
        lock (_lifecycle)
        {
            if (_started || _stopped is not null) throw new InvalidOperationException("A RaftNode starts once; create a new one to restart");
            _started = true;
        }
        _transport.PeerDisconnected += OnPeerDisconnected;
        _transport.ConfigurationOffered += OnConfigurationOffered;
        await _transport.StartAsync(ct).ConfigureAwait(false);
        _loop = Task.Run(RunLoopAsync, CancellationToken.None);
        var background = new List<Task>
        {
            Task.Run(PumpInboundAsync, CancellationToken.None),
            Task.Run(TickAsync, CancellationToken.None),
            Task.Run(DispatchStateEventsAsync, CancellationToken.None),
        };
        if (!SyncFlush) background.Add(Task.Run(FlushPeriodicallyAsync, CancellationToken.None));
        _background = Task.WhenAll(background);
        _retention?.Start();
        var state = State;
        LogMessages.NodeStarted(_logger, SelfId, Group, _log.FirstIndex, _log.LastIndex, state.Term, CommitIndex, AppliedIndex,
            SyncFlush ? "SYNC_FLUSH" : "ASYNC_FLUSH");
    }

    /// <summary>
    /// Stops the node: the loop finishes its round, appends still waiting complete with Unknown, data is synced and
    /// the hard state saved with the latest commit index, the transport closes. No leadership handover is attempted
    /// (call <see cref="TransferLeadership"/> first for a graceful one). Safe to call more than once.
    /// </summary>
    public Task StopAsync()
    {
        lock (_lifecycle)
        {
            return _stopped ??= StopCoreAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
    }

    private async Task StopCoreAsync()
    {
        if (_retention is not null) await _retention.StopAsync().ConfigureAwait(false);
        await _stopping.CancelAsync().ConfigureAwait(false);
        _inputs.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
        _driver.CloseOut(_started);
        while (_control.TryDequeue(out var item)) item.Work?.Abandon();
        try
        {
            await _haltedTransportStop.ConfigureAwait(false);
            await _transport.DisposeAsync().ConfigureAwait(false);
            await _background.ConfigureAwait(false);
        }
        finally
        {
            _transport.PeerDisconnected -= OnPeerDisconnected;
            _transport.ConfigurationOffered -= OnConfigurationOffered;
            var state = State;
            LogMessages.NodeStopped(_logger, SelfId, state.Term, CommitIndex, AppliedIndex);
            CloseLog();
            _metrics.Dispose();
        }
    }

    private void CloseLog()
    {
        _readGate.EnterWriteLock();
        try
        {
            _logClosed = true;
            _log.Dispose();
        }
        finally
        {
            _readGate.ExitWriteLock();
        }
    }

    private T ReadLog<T>(Func<SegmentedLog, T> read, T whenClosed)
    {
        _readGate.EnterReadLock();
        try
        {
            return _logClosed ? whenClosed : read(_log);
        }
        finally
        {
            _readGate.ExitReadLock();
        }
    }

    private void OnPeerDisconnected(string peerId) => EnqueueControl(new ControlItem(ControlKind.PeerDisconnected, peerId));

    private void EnqueueControl(ControlItem item)
    {
        _control.Enqueue(item);
        Wake();
    }

    /// <summary>Makes sure the loop runs a round soon; at most one wake item is queued at a time.</summary>
    private void Wake()
    {
        if (Interlocked.Exchange(ref _wakeQueued, 1) == 0 && !_inputs.Writer.TryWrite(NodeInput.Wake))
        {
            // The channel is full, so the loop has work and will see the flag-driven inputs anyway.
            Volatile.Write(ref _wakeQueued, 0);
        }
    }
}
