using Microsoft.Extensions.Logging;
using RaftMq.Consensus.Core;
using RaftMq.Consensus.Log;

namespace RaftMq.Consensus.Runtime;

/// <summary>What one round of the node loop takes in: queued inputs, elapsed ticks and control items.</summary>
internal interface IRoundInputs
{
    /// <summary>The next peer message or proposal of this round (the source bounds how many a round takes).</summary>
    bool TryRead(out NodeInput input);

    /// <summary>Ticks elapsed since the last round (taken: the next call returns 0 until more elapse).</summary>
    int TakeTicks();

    bool TryTakeControl(out ControlItem item);
}

/// <summary>Where the driver's effects on the outside world go: the wire, role-change events, halting.</summary>
internal interface IDriverHost
{
    /// <summary>Hands a message to the transport (after everything it depends on was persisted).</summary>
    void Send(Message message);

    /// <summary>The role, term or leader changed (raised on the loop; the host must not block).</summary>
    void StateChanged(SoftState state);

    /// <summary>The driver halted: the host stops taking inputs and drops off the network.</summary>
    void Halted();

    /// <summary>The configuration in effect changed (raised on the loop; not at start): open and close peer links.</summary>
    void MembershipChanged(Membership membership);
}

/// <summary>
/// The single-threaded, deterministic part of a Raft node: it owns the pure <see cref="RaftCore"/>, the writer side
/// of the log, the hard-state file and the state machine. One <see cref="RunRound"/> steps queued inputs into the
/// core (proposals of a round as one batch), ticks, runs control work, then handles each Ready in the order the core
/// prescribes: install a snapshot, append entries, save the hard state, ONE fsync for the batch (group commit;
/// ASYNC_FLUSH leaves data to a periodic flush but the hard state is always fsynced), send, apply committed entries
/// in order, complete waiting appends, Advance. It touches no clock, thread, socket or timer: the production
/// <see cref="RaftNode"/> feeds it from channels and timers, the deterministic simulator from virtual time.
/// </summary>
/// <remarks>
/// A node whose log cannot be written or whose core detects a broken invariant halts loudly (event 1003): waiting
/// appends complete with Unknown and the host drops off the network, so that peers fail over at once.
/// </remarks>
internal sealed partial class NodeDriver
{
    /// <summary>Proposals of one round are handed to the core together, up to about this many bytes.</summary>
    private const long MaxProposalBatchBytes = 1 << 20;

    private readonly string _selfId;
    private readonly bool _syncFlush;
    private readonly int _maxReadiesPerRound;
    private readonly int _maxTicksPerRound;
    private readonly SegmentedLog _log;
    private readonly HardStateFile _hardStateFile;
    private readonly IStateMachine _stateMachine;
    private readonly IDriverHost _host;
    private readonly ILogger _logger;
    private readonly RaftMetrics? _metrics;
    private readonly PlantedBugs _bugs;
    private readonly RaftCore _core;
    private readonly PendingProposals _pending = new();
    private readonly List<ReadOnlyMemory<byte>> _batchPayloads = new();
    private readonly List<NodeInput> _batchInputs = new();
    private long _batchBytes;

    private volatile NodeStatus _status;
    private volatile string? _haltReason;
    private long _committedEndPos;
    private long _appliedIndex;
    private long _skipApplyUpTo;
    private bool _unflushed;
    private int _unsyncedEntries;
    private string? _lastDisconnectedPeer;

    /// <summary>
    /// Builds the core over an opened log: a corrupt log makes the node refuse to vote or lead (event 1002); the
    /// state machine is brought to where the log can continue it (reset when ahead of the log, restored from the
    /// snapshot when behind the log's first entry).
    /// </summary>
    public NodeDriver(NodeDriverOptions options, SegmentedLog log, HardStateFile hardStateFile, HardState hardState,
        IStateMachine stateMachine, IRandomSource random, IDriverHost host, ILogger logger, RaftMetrics? metrics = null)
    {
        _selfId = options.Raft.SelfId;
        _syncFlush = options.SyncFlush;
        _maxReadiesPerRound = options.MaxReadiesPerRound;
        _maxTicksPerRound = Math.Max(1, options.Raft.ElectionTicks - 1);
        _log = log;
        _hardStateFile = hardStateFile;
        _stateMachine = stateMachine;
        _host = host;
        _logger = logger;
        _metrics = metrics;
        _bugs = options.Bugs;
        // Reading the configuration history checks every index unit: damage found there makes the log corrupt too.
        log.ConfigEntries(log.FirstIndex);
        RefusesToLead = log.IsCorrupt;
        if (RefusesToLead) LogMessages.RefusingToLead(_logger, _selfId, options.StorePath, log.CorruptionReason ?? "unknown");

        CatchUpStateMachineToLog();
        // After a wipe that kept the hard state, its commit hint points past the (now empty) log: the core clamps it, and
        // takes it as the sign that the node lost its log.
        var initial = hardState;
        var raftOptions = options.Raft with { RefuseToLead = RefusesToLead };
        // Committed entries the state machine holds are not handed out again (the core clamps to what it can trust).
        _core = new RaftCore(raftOptions, log, initial, random, options.Bugs, applied: _stateMachine.AppliedIndex);
        _status = new NodeStatus(_core.SoftState, _core.CommitIndex);
        _appliedIndex = _core.AppliedIndex;
        _committedEndPos = _appliedIndex == log.FirstIndex - 1 ? log.FirstPos : log.Entries(_appliedIndex, _appliedIndex, 1)[0].EndPos;
        InitProgress();
    }

    public string SelfId => _selfId;

    /// <summary>Role, term and leader as last published (readable from any thread).</summary>
    public SoftState State => _status.State;

    /// <summary>Commit index as last published (readable from any thread).</summary>
    public long CommitIndex => _status.Commit;

    /// <summary>Index of the last entry applied to the state machine (or skipped as already applied at start).</summary>
    public long AppliedIndex => Volatile.Read(ref _appliedIndex);

    /// <summary>Pos just past the last committed entry this node has applied: committed reads are served below it.</summary>
    public long CommittedEndPos => Volatile.Read(ref _committedEndPos);

    /// <summary>True when the node found its own log corrupt at start: it never votes or leads.</summary>
    public bool RefusesToLead { get; }

    /// <summary>Why the node halted, or null while it takes part in the group.</summary>
    public string? HaltReason => _haltReason;

    public bool HasReady => _core.HasReady;

    /// <summary>The core itself, for the simulator's checkers (never stepped from outside the driver).</summary>
    internal RaftCore Core => _core;

    /// <summary>Waiting appends (the simulator checks that none is left behind).</summary>
    internal int PendingCount => _pending.Count;

    /// <summary>
    /// One round: inputs, the proposal batch, ticks, control work, up to MaxReadiesPerRound Readies, expiry of
    /// waiting appends (when time passed; <paramref name="now"/> is in the unit of the proposals' deadlines), and the
    /// published state. An exception means the node can no longer be trusted: the caller halts it.
    /// </summary>
    public void RunRound(IRoundInputs inputs, long now)
    {
        while (inputs.TryRead(out var input)) Handle(input);
        ProposeBatch();
        int ticks = inputs.TakeTicks();
        // Ticks that piled up while the loop was busy (a long fsync, a GC pause) are folded so that one round crosses
        // at most one check-quorum boundary: otherwise the second check of the same round finds no answers (the
        // answers that arrived during the stall were counted by the first) and a leader with a healthy majority
        // steps down.
        for (int i = 0; i < Math.Min(ticks, _maxTicksPerRound); i++) _core.Tick();
        while (inputs.TryTakeControl(out var item)) RunControl(item);
        for (int i = 0; i < _maxReadiesPerRound && _core.HasReady; i++) HandleReady(_core.GetReady());
        if (ticks > 0) ExpireWaitingAppends(now);
        PublishStateIfChanged();
        PublishProgress();
    }

    private void RunControl(in ControlItem item)
    {
        switch (item.Kind)
        {
            case ControlKind.PeerDisconnected:
                _lastDisconnectedPeer = item.PeerId;
                _core.ReportUnreachable(item.PeerId!);
                break;
            case ControlKind.TransferLeadership:
                _core.TransferLeadership(item.PeerId!);
                break;
            case ControlKind.Flush:
                FlushIfNeeded();
                break;
            case ControlKind.Work:
                item.Work!.Run();
                break;
        }
    }

    private void FlushIfNeeded()
    {
        if (!_unflushed) return;
        SyncLog(_unsyncedEntries);
        _unflushed = false;
    }

    /// <summary>Runs one retention pass (on the loop: the caller is the loop or a control work item).</summary>
    public RetentionResult RunRetention(DateTimeOffset expiredBefore, long segmentSizeBytes) =>
        new RetentionPass(_log, _stateMachine, segmentSizeBytes, _core.MembershipAt).Run(expiredBefore, keepFrom: AppliedIndex + 1);

    /// <summary>Stops taking part in the group after an error that makes this node's log or state untrustworthy.</summary>
    public void Halt(Exception e)
    {
        if (_haltReason is not null) return;
        // Logged before the reason becomes visible: whoever sees HaltReason set also finds the critical event.
        LogMessages.Halted(_logger, e, _selfId, e.Message);
        _haltReason = e.Message;
        FailAllPending(AppendStatus.Unknown);
        var previous = _status;
        _status = new NodeStatus(new SoftState(RaftRole.Follower, previous.State.Term, null), previous.Commit);
        if (previous.State.Role != RaftRole.Follower || previous.State.LeaderId is not null) _host.StateChanged(_status.State);
        _host.Halted();
    }

    /// <summary>
    /// After the last round (a clean stop): gives up on waiting appends and leaves durable state complete for a
    /// restart. ASYNC_FLUSH: what the page cache holds goes to disk; and the commit index is saved as a restart hint
    /// (the core only forces a hard-state write when term or vote change).
    /// </summary>
    public void CloseOut(bool started)
    {
        FailAllPending(AppendStatus.Unknown);
        if (_haltReason is not null || !started) return;
        try
        {
            _log.Sync();
            _hardStateFile.Save(_core.HardState);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException)
        {
            Halt(e);
        }
    }

    /// <summary>What readers outside the loop see; replaced as a whole so it is never torn.</summary>
    private sealed record NodeStatus(SoftState State, long Commit);
}

/// <summary>What the driver needs to know besides the log, the state machine and the host.</summary>
internal sealed record NodeDriverOptions
{
    public required RaftOptions Raft { get; init; }
    public required bool SyncFlush { get; init; }

    /// <summary>Where the log lives (named in the corrupt-log message).</summary>
    public required string StorePath { get; init; }

    public int MaxReadiesPerRound { get; init; } = 4;

    /// <summary>Deliberate bugs for the simulator to catch (test only).</summary>
    public PlantedBugs Bugs { get; init; }
}
