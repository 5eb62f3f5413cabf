using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using RaftMq.Consensus.Configuration;
using RaftMq.Consensus.Core;
using RaftMq.Consensus.Log;
using RaftMq.Consensus.Transport;

namespace RaftMq.Consensus.Runtime;

/// <summary>Opening a node: log, hard state, state machine catch-up point, core, transport.</summary>
public sealed partial class RaftNode
{
    private RaftNode(ConsensusOptions options, RaftNodeSettings settings, IStateMachine stateMachine, ILoggerFactory loggerFactory,
        SegmentedLog log, HardStateFile hardStateFile, HardState hardState)
    {
        _options = options;
        _settings = settings;
        _stateMachine = stateMachine;
        _logger = loggerFactory.CreateLogger<RaftNode>();
        _log = log;
        _hardStateFile = hardStateFile;
        RefusesToLead = log.IsCorrupt;
        if (RefusesToLead) LogMessages.RefusingToLead(_logger, options.SelfId, options.ConsensusStoreDir, log.CorruptionReason ?? "unknown");

        CatchUpStateMachineToLog();
        // After a wipe that kept the hard state, its commit hint can point past the (now empty) log.
        var initial = hardState with { Commit = Math.Min(hardState.Commit, log.LastIndex) };
        var raftOptions = options.ToRaftOptions() with { RefuseToLead = RefusesToLead };
        // Committed entries the state machine holds are not handed out again (the core clamps to what it can trust).
        _core = new RaftCore(raftOptions, log, initial, new SystemRandomSource(), applied: _stateMachine.AppliedIndex);
        _status = new NodeStatus(_core.SoftState, _core.CommitIndex);
        _appliedIndex = _core.AppliedIndex;
        _committedEndPos = _appliedIndex == log.FirstIndex - 1 ? log.FirstPos : log.Entries(_appliedIndex, _appliedIndex, 1)[0].EndPos;

        _inputs = Channel.CreateBounded<NodeInput>(new BoundedChannelOptions(settings.InputCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _transport = new PeerTransport(PeerTransportOptions.For(options), loggerFactory.CreateLogger<PeerTransport>());
        InitProgressSlots();
        _metrics = new RaftMetrics(this);
        if (settings.RetentionCheckInterval is { } interval)
        {
            var policy = RetentionPolicy.From(options);
            _retention = new RetentionService(policy, interval, settings.Clock, () => settings.DiskUsedRatio(StorePath),
                expiredBefore => RunRetentionAsync(expiredBefore), loggerFactory.CreateLogger<RetentionService>(), options.SelfId);
        }
    }

    /// <summary>Where this node keeps its log, hard state and snapshot: <c>storePathDLedgerCommitLog</c> when set,
    /// else <c>{storePathRootDir}/dledger-{selfId}</c>.</summary>
    public string StorePath => StorePathFor(_options);

    /// <summary>
    /// Opens the node's store and builds it (nothing runs until <see cref="StartAsync"/>). A corrupt log is logged
    /// (event 1002) and makes the node refuse to vote or lead; a damaged hard state file throws
    /// InvalidDataException: the node cannot know its term and vote and must not start.
    /// </summary>
    public static RaftNode Create(ConsensusOptions options, IStateMachine stateMachine, ILoggerFactory loggerFactory, RaftNodeSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(stateMachine);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        options.Validate();
        settings ??= new RaftNodeSettings();
        settings.Validate();
        string storePath = StorePathFor(options);
        var log = SegmentedLog.Open(new LogStoreOptions { StorePath = storePath, SegmentSizeBytes = options.DataFileSizeBytes },
            loggerFactory.CreateLogger<SegmentedLog>());
        try
        {
            var hardStateFile = new HardStateFile(storePath);
            return new RaftNode(options, settings, stateMachine, loggerFactory, log, hardStateFile, hardStateFile.Load());
        }
        catch
        {
            log.Dispose();
            throw;
        }
    }

    private static string StorePathFor(ConsensusOptions options) => options.DataStorePathOverride ?? options.ConsensusStoreDir;

    /// <summary>
    /// The core starts handing out committed entries after the state machine's applied index, clamped to the
    /// recovered commit index (a lazily saved hint); any it hands out again that the state machine already holds
    /// durably are skipped. A state machine behind the log's first entry cannot be
    /// rebuilt from entries that retention deleted, so it restores the latest snapshot first.
    /// </summary>
    private void CatchUpStateMachineToLog()
    {
        long baseIndex = _log.FirstIndex - 1;
        ResetStateMachineAheadOfLog(baseIndex);
        if (_stateMachine.AppliedIndex < baseIndex)
        {
            var snapshot = _log.LatestSnapshot;
            if (snapshot is null || snapshot.Index < baseIndex)
                throw new InvalidOperationException(
                    $"state machine applied index {_stateMachine.AppliedIndex} is below the log's first index {baseIndex + 1} " +
                    $"and no snapshot covers the gap (latest: {snapshot?.Index.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"})");
            LogMessages.StateMachineRestoredAtStart(_logger, _options.SelfId, _stateMachine.AppliedIndex, baseIndex + 1, snapshot.Index);
            _stateMachine.RestoreSnapshot(snapshot);
            _skipApplyUpTo = snapshot.Index;
            return;
        }
        _skipApplyUpTo = _stateMachine.AppliedIndex;
    }

    /// <summary>
    /// A state machine whose applied entry the log no longer holds (a power loss in ASYNC_FLUSH cut entries it had
    /// applied; the slots may later be refilled with other entries) would skip or double-count entries; it is reset
    /// and re-derived. Applied points below the log's base cannot be checked and are handled by the snapshot path.
    /// </summary>
    private void ResetStateMachineAheadOfLog(long baseIndex)
    {
        long applied = _stateMachine.AppliedIndex;
        if (applied == 0 || applied < baseIndex) return;
        long termInLog = applied <= _log.LastIndex ? _log.TermAt(applied) : -1;
        if (termInLog == _stateMachine.AppliedTerm) return;
        LogMessages.StateMachineAheadOfLog(_logger, _options.SelfId, applied, _stateMachine.AppliedTerm, _log.LastIndex, termInLog);
        _stateMachine.Reset();
        if (_stateMachine.AppliedIndex != 0)
            throw new InvalidOperationException($"state machine reset left applied index {_stateMachine.AppliedIndex}, expected 0");
    }
}
