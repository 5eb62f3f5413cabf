using System.Globalization;
using RaftMq.Consensus.Core;
using RaftMq.Foundation.Configuration;

namespace RaftMq.Consensus.Configuration;

/// <summary>How a replica makes an entry durable before it counts toward the majority.</summary>
public enum FlushDiskType
{
    /// <summary><c>SYNC_FLUSH</c>: fsync (group commit) before acknowledging.</summary>
    SyncFlush,

    /// <summary><c>ASYNC_FLUSH</c>: acknowledge from the page cache, fsync every <see cref="ConsensusOptions.FlushInterval"/>.</summary>
    AsyncFlush,
}

/// <summary>
/// Consensus settings of one node, built from broker.conf by <see cref="FromProperties"/> (keys in
/// <see cref="ConsensusKeys"/>, documented in docs/configuration/consensus-keys.md) or in code followed by
/// <see cref="Validate()"/>. Errors are <see cref="ConfigException"/>s naming the key, the value and the file.
/// </summary>
public sealed partial record ConsensusOptions
{
    /// <summary>Raft group name (<c>dLegerGroup</c>); RocketMQ advises it equal <c>brokerName</c>.</summary>
    public required string Group { get; init; }

    public required DLedgerPeers Peers { get; init; }

    public required string SelfId { get; init; }

    public string? PreferredLeaderId { get; init; }

    /// <summary><c>raftPeerDialOverrides</c>: where to dial some peers instead of their dLegerPeers endpoint (the
    /// chaos harness puts fault proxies there). Identity and the peers hash still come from <see cref="Peers"/>.</summary>
    public IReadOnlyList<DLedgerPeer> PeerDialOverrides { get; init; } = [];

    /// <summary><c>dLegerPeerSecret</c>: the group secret peers prove in the handshake; null: none.</summary>
    public PeerSecret? PeerSecret { get; init; }

    public string StorePathRootDir { get; init; } = DefaultStorePathRootDir;

    /// <summary><c>storePathDLedgerCommitLog</c>: overrides <see cref="DataStorePath"/> when set.</summary>
    public string? DataStorePathOverride { get; init; }

    public FlushDiskType FlushDiskType { get; init; } = FlushDiskType.SyncFlush;

    /// <summary>ASYNC_FLUSH only: how often the page cache is forced to disk.</summary>
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Size of one log data segment (RocketMQ <c>mappedFileSizeCommitLog</c>).</summary>
    public long DataFileSizeBytes { get; init; } = 1L << 30;

    /// <summary>Length of one Raft tick; election and heartbeat periods are whole numbers of ticks.</summary>
    public TimeSpan TickInterval { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Base election timeout in ticks (the core randomises it in [n, 2n)).</summary>
    public int ElectionTicks { get; init; } = 10;

    public int HeartbeatTicks { get; init; } = 1;

    /// <summary>Append messages in flight to one follower before it acknowledges (<c>raftMaxInflightAppends</c>).</summary>
    public int MaxInflightAppends { get; init; } = 256;

    /// <summary>Entry bytes in flight to one follower before it acknowledges (<c>raftMaxInflightBytes</c>): bounds what
    /// the leader reads and sends for a lagging follower at a time.</summary>
    public long MaxInflightBytes { get; init; } = 8L << 20;

    /// <summary>Entry bytes packed into one Append (<c>raftMaxAppendBytes</c>, DLedger's <c>maxBatchPushSize</c>).</summary>
    public long MaxAppendBytes { get; init; } = 1L << 20;

    /// <summary>A far-behind follower is sent at most this many times the leader's own append rate while the others
    /// make a quorum (<c>raftCatchUpRateMultiplier</c>; 0 = no pacing). See <see cref="RaftOptions.CatchUpRateMultiplier"/>.</summary>
    public int CatchUpRateMultiplier { get; init; } = 3;

    /// <summary>The least a paced follower is sent per second (<c>raftCatchUpMinBytesPerSecond</c>).</summary>
    public long CatchUpMinBytesPerSecond { get; init; } = 10L << 20;

    /// <summary>Hours a log segment is kept before retention may delete it (RocketMQ <c>fileReservedTime</c>).</summary>
    public int FileReservedHours { get; init; } = 72;

    /// <summary>Hours of the day (0-23) at which expired segments are deleted (RocketMQ <c>deleteWhen</c>).</summary>
    public IReadOnlyList<int> DeleteWhenHours { get; init; } = [4];

    /// <summary>Disk usage percentage above which segments are deleted regardless of the hour.</summary>
    public int DiskMaxUsedSpaceRatio { get; init; } = 75;

    /// <summary>The file these options came from, for error messages; null when built in code.</summary>
    public string? SourceFile { get; init; }

    /// <summary>RocketMQ's default: <c>{user home}/store</c>.</summary>
    public static string DefaultStorePathRootDir =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), "store");

    /// <summary>This node's consensus directory, DLedger's layout: <c>{storePathRootDir}/dledger-{selfId}</c>.</summary>
    public string ConsensusStoreDir => Path.Combine(StorePathRootDir, $"dledger-{SelfId}");

    /// <summary>Where log segments live: <c>storePathDLedgerCommitLog</c> or <c>{ConsensusStoreDir}/data</c>.</summary>
    public string DataStorePath => DataStorePathOverride ?? Path.Combine(ConsensusStoreDir, "data");

    /// <summary>Heartbeat period of a leader (<see cref="HeartbeatTicks"/> ticks).</summary>
    public TimeSpan HeartbeatInterval => TickInterval * HeartbeatTicks;

    /// <summary>Options for the pure core (timing in ticks).</summary>
    public RaftOptions ToRaftOptions() => new()
    {
        SelfId = SelfId,
        Peers = Classic is null ? Peers.Ids : [ClassicReplication.MasterId],
        InitialMembership = BootstrapMembership(),
        ElectionTicks = ElectionTicks,
        HeartbeatTicks = HeartbeatTicks,
        MaxInflightAppends = MaxInflightAppends,
        MaxInflightBytes = MaxInflightBytes,
        MaxAppendBytes = MaxAppendBytes,
        CatchUpRateMultiplier = CatchUpRateMultiplier,
        MinCatchUpBytesPerTick = Math.Max(1, (long)(CatchUpMinBytesPerSecond * TickInterval.TotalSeconds)),
        PreferredLeaderId = PreferredLeaderId,
    };

    /// <summary>Checks every setting and their combinations; throws <see cref="ConfigException"/>.</summary>
    public void Validate() => Validate(null);

    private void Validate(PropertiesFile? file)
    {
        ConfigException Fail(string key, object value, string reason) => file is not null
            ? file.Error(key, reason)
            : new ConfigException(key, Convert.ToString(value, CultureInfo.InvariantCulture), SourceFile, null, reason);

        if (string.IsNullOrWhiteSpace(Group)) throw Fail(ConsensusKeys.Group, Group ?? "", "the group name must not be empty");
        if (Peers is null || Peers.Members.Count == 0) throw Fail(ConsensusKeys.Peers, "", "at least one peer is required");
        if (!Peers.Contains(SelfId))
            throw Fail(ConsensusKeys.SelfId, SelfId, $"is not one of the peers in {ConsensusKeys.Peers} ({string.Join(", ", Peers.Ids)})");
        if (PreferredLeaderId is not null && !Peers.Contains(PreferredLeaderId))
            throw Fail(ConsensusKeys.PreferredLeaderId, PreferredLeaderId,
                $"is not one of the peers in {ConsensusKeys.Peers} ({string.Join(", ", Peers.Ids)})");
        ValidateDialOverrides(Fail);
        if (string.IsNullOrWhiteSpace(StorePathRootDir)) throw Fail(ConsensusKeys.StorePathRootDir, StorePathRootDir ?? "", "must not be empty");
        if (FileInTheWay(StorePathRootDir) is { } blocker)
            throw Fail(ConsensusKeys.StorePathRootDir, StorePathRootDir,
                blocker == Path.GetFullPath(StorePathRootDir) ? "is a file, not a directory" : $"cannot be created: {blocker} is a file, not a directory");
        if (FlushInterval <= TimeSpan.Zero || FlushInterval > TimeSpan.FromMinutes(1))
            throw Fail(FlushIntervalKey(file), FlushInterval.TotalMilliseconds, "must be between 1 and 60000 ms");
        if (DataFileSizeBytes is < MinDataFileSizeBytes or > MaxDataFileSizeBytes)
            throw Fail(DataFileSizeKey(file), DataFileSizeBytes, $"must be between {MinDataFileSizeBytes} and {MaxDataFileSizeBytes} bytes");
        ValidateTiming(file, Fail);
        ValidateFlowControl(file, Fail);
        ValidateRetention(Fail);
    }

    /// <summary>The path itself or the nearest existing folder above it when that is a file (the store could not be created).</summary>
    private static string? FileInTheWay(string path)
    {
        for (string? at = Path.GetFullPath(path); !string.IsNullOrEmpty(at); at = Path.GetDirectoryName(at))
        {
            if (File.Exists(at)) return at;
            if (Directory.Exists(at)) return null;
        }
        return null;
    }

    private void ValidateTiming(PropertiesFile? file, Func<string, object, string, ConfigException> fail)
    {
        bool dledgerTiming = file is not null && (file.Contains(ConsensusKeys.HeartBeatTimeIntervalMs) || file.Contains(ConsensusKeys.MaxHeartBeatLeak));
        string tickKey = dledgerTiming ? ConsensusKeys.HeartBeatTimeIntervalMs : ConsensusKeys.RaftTickMs;
        string electionKey = dledgerTiming ? ConsensusKeys.MaxHeartBeatLeak : ConsensusKeys.RaftElectionTicks;
        if (TickInterval < TimeSpan.FromMilliseconds(1) || TickInterval > TimeSpan.FromSeconds(10))
            throw fail(tickKey, TickInterval.TotalMilliseconds, "must be between 1 and 10000 ms");
        if (HeartbeatTicks < 1) throw fail(ConsensusKeys.RaftHeartbeatTicks, HeartbeatTicks, "must be at least 1");
        if (ElectionTicks <= HeartbeatTicks)
            throw fail(electionKey, ElectionTicks, $"must exceed the heartbeat period ({HeartbeatTicks} ticks) or followers time out between heartbeats");
    }

    private void ValidateFlowControl(PropertiesFile? file, Func<string, object, string, ConfigException> fail)
    {
        if (MaxInflightAppends is < 1 or > 65536) throw fail(ConsensusKeys.RaftMaxInflightAppends, MaxInflightAppends, "must be between 1 and 65536");
        if (MaxAppendBytes is < 1024 or > MaxAppendBytesLimit)
            throw fail(AppendBytesKey(file), MaxAppendBytes, $"must be between 1024 and {MaxAppendBytesLimit} bytes");
        if (MaxInflightBytes < MaxAppendBytes || MaxInflightBytes > 1L << 30)
            throw fail(ConsensusKeys.RaftMaxInflightBytes, MaxInflightBytes, $"must be at least one Append ({MaxAppendBytes} bytes) and at most 1 GiB");
    }

    private void ValidateDialOverrides(Func<string, object, string, ConfigException> fail)
    {
        string text = string.Join(';', PeerDialOverrides ?? []);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var dial in PeerDialOverrides ?? [])
        {
            // Ids outside dLegerPeers are allowed: members the group adds later through its replicated configuration.
            if (dial.Id == SelfId) throw fail(ConsensusKeys.RaftPeerDialOverrides, text, $"'{dial.Id}' is this node ({ConsensusKeys.SelfId})");
            if (!seen.Add(dial.Id)) throw fail(ConsensusKeys.RaftPeerDialOverrides, text, $"'{dial.Id}' appears more than once");
        }
    }

    private void ValidateRetention(Func<string, object, string, ConfigException> fail)
    {
        if (FileReservedHours < 1) throw fail(ConsensusKeys.FileReservedTime, FileReservedHours, "must be at least 1 hour");
        if (DeleteWhenHours is null || DeleteWhenHours.Count == 0 || DeleteWhenHours.Any(hour => hour is < 0 or > 23))
            throw fail(ConsensusKeys.DeleteWhen, string.Join(';', DeleteWhenHours ?? []), "expected hours of the day 0-23 separated by ';'");
        if (DiskMaxUsedSpaceRatio is < 10 or > 95)
            throw fail(ConsensusKeys.DiskMaxUsedSpaceRatio, DiskMaxUsedSpaceRatio, "must be a percentage between 10 and 95");
    }
}
