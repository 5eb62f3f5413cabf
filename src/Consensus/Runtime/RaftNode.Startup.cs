using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using RaftMq.Consensus.Configuration;
using RaftMq.Consensus.Core;
using RaftMq.Consensus.Log;
using RaftMq.Consensus.Transport;

namespace RaftMq.Consensus.Runtime;

/// <summary>Opening a node: log, hard state, the driver (state machine catch-up point, core), transport.</summary>
public sealed partial class RaftNode
{
    private RaftNode(ConsensusOptions options, RaftNodeSettings settings, Func<IReplicatedLog, IStateMachine> createStateMachine, ILoggerFactory loggerFactory,
        SegmentedLog log, HardStateFile hardStateFile, HardState hardState)
    {
        _options = options;
        _settings = settings;
        _logger = loggerFactory.CreateLogger<RaftNode>();
        _log = log;
        _metrics = new RaftMetrics(this);
        var driverOptions = new NodeDriverOptions
        {
            Raft = options.ToRaftOptions(),
            SyncFlush = options.FlushDiskType == FlushDiskType.SyncFlush,
            StorePath = StorePathFor(options),
            MaxReadiesPerRound = settings.MaxReadiesPerRound,
        };
        var stateMachine = createStateMachine(this) ?? throw new InvalidOperationException("The state machine factory returned null.");
        _driver = new NodeDriver(driverOptions, log, hardStateFile, hardState, stateMachine, new SystemRandomSource(), this, _logger, _metrics);

        _inputs = Channel.CreateBounded<NodeInput>(new BoundedChannelOptions(settings.InputCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _transport = new PeerTransport(PeerTransportOptions.For(options) with { Tls = settings.PeerTls }, loggerFactory.CreateLogger<PeerTransport>());
        FollowMembership(_driver.Membership.Membership, _driver.Membership.Index, leaderId: null);
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

    /// <summary>Why this node's log is corrupt (found when it was opened, or by a later read); null while it is sound.</summary>
    public string? LogCorruption => _log.IsCorrupt ? _log.CorruptionReason ?? "unknown" : null;

    /// <summary>
    /// Opens the node's store and builds it (nothing runs until <see cref="StartAsync"/>). A corrupt log is logged
    /// (event 1002) and makes the node refuse to vote or lead; a damaged hard state file throws
    /// InvalidDataException: the node cannot know its term and vote and must not start.
    /// </summary>
    public static RaftNode Create(ConsensusOptions options, IStateMachine stateMachine, ILoggerFactory loggerFactory, RaftNodeSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(stateMachine);
        return Create(options, _ => stateMachine, loggerFactory, settings);
    }

    /// <summary>
    /// As <see cref="Create(ConsensusOptions, IStateMachine, ILoggerFactory, RaftNodeSettings?)"/>, for a state machine
    /// that reads committed entries back from the node it applies for (the broker's reads message bodies from the log):
    /// <paramref name="createStateMachine"/> receives the node once its log is open and before anything is applied.
    /// It may keep the node but must not call it until the factory returned.
    /// </summary>
    public static RaftNode Create(ConsensusOptions options, Func<IReplicatedLog, IStateMachine> createStateMachine, ILoggerFactory loggerFactory,
        RaftNodeSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(createStateMachine);
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
            return new RaftNode(options, settings, createStateMachine, loggerFactory, log, hardStateFile, hardStateFile.Load());
        }
        catch
        {
            log.Dispose();
            throw;
        }
    }

    private static string StorePathFor(ConsensusOptions options) => options.DataStorePathOverride ?? options.ConsensusStoreDir;
}
