namespace RaftMq.Consensus.Configuration;

/// <summary>The broker.conf keys read by <see cref="ConsensusOptions.FromProperties"/>; each is documented in
/// docs/configuration/consensus-keys.md. RocketMQ's spelling (including "dLeger") is kept on purpose.</summary>
public static class ConsensusKeys
{
    public const string Group = "dLegerGroup";
    public const string Peers = "dLegerPeers";
    public const string SelfId = "dLegerSelfId";
    public const string PreferredLeaderId = "preferredLeaderId";
    public const string StorePathRootDir = "storePathRootDir";
    public const string StorePathDLedgerCommitLog = "storePathDLedgerCommitLog";
    public const string FlushDiskType = "flushDiskType";
    public const string FlushIntervalMs = "flushIntervalMs";
    public const string FlushIntervalCommitLog = "flushIntervalCommitLog";
    public const string MappedFileSizeCommitLog = "mappedFileSizeCommitLog";

    /// <summary>RocketMQ 4.x's original misspelling, still found in old broker.conf files.</summary>
    public const string MapedFileSizeCommitLog = "mapedFileSizeCommitLog";

    public const string RaftTickMs = "raftTickMs";
    public const string RaftElectionTicks = "raftElectionTicks";
    public const string RaftHeartbeatTicks = "raftHeartbeatTicks";
    public const string HeartBeatTimeIntervalMs = "heartBeatTimeIntervalMs";
    public const string MaxHeartBeatLeak = "maxHeartBeatLeak";
    /// <summary>Ours: Append messages in flight to one follower before it acknowledges (flow control).</summary>
    public const string RaftMaxInflightAppends = "raftMaxInflightAppends";

    /// <summary>Ours: entry bytes in flight to one follower before it acknowledges (etcd's MaxInflightBytes).</summary>
    public const string RaftMaxInflightBytes = "raftMaxInflightBytes";

    /// <summary>Ours: a far-behind follower is sent at most this many times the leader's append rate (0 = no pacing).</summary>
    public const string RaftCatchUpRateMultiplier = "raftCatchUpRateMultiplier";

    /// <summary>Ours: the least a paced far-behind follower is sent per second.</summary>
    public const string RaftCatchUpMinBytesPerSecond = "raftCatchUpMinBytesPerSecond";

    /// <summary>Ours: entry bytes packed into one Append message.</summary>
    public const string RaftMaxAppendBytes = "raftMaxAppendBytes";

    /// <summary>DLedger's name for <see cref="RaftMaxAppendBytes"/> (bytes packed into one batch push).</summary>
    public const string MaxBatchPushSize = "maxBatchPushSize";

    public const string FileReservedTime = "fileReservedTime";
    public const string DeleteWhen = "deleteWhen";
    public const string DiskMaxUsedSpaceRatio = "diskMaxUsedSpaceRatio";

    /// <summary>Ours: per-peer dial addresses (<c>id-host:port;...</c>) used instead of <see cref="Peers"/> when
    /// connecting, e.g. through the chaos harness's fault proxies. The handshake still uses dLegerPeers.</summary>
    public const string RaftPeerDialOverrides = "raftPeerDialOverrides";

    /// <summary>Ours: the group secret peers prove in the handshake (HMAC challenge), at least 16 characters; the
    /// same on every member. Empty: peers are not authenticated.</summary>
    public const string PeerSecret = "dLegerPeerSecret";

    /// <summary>RocketMQ's: true (or any dLeger key) = a DLedger group; false or absent without dLeger keys = classic
    /// master/slave replication (<see cref="BrokerRole"/>).</summary>
    public const string EnableDLegerCommitLog = "enableDLegerCommitLog";

    /// <summary>RocketMQ's classic role: ASYNC_MASTER (default), SYNC_MASTER or SLAVE.</summary>
    public const string BrokerRole = "brokerRole";

    /// <summary>RocketMQ's: 0 = the master, above 0 = a slave (classic mode).</summary>
    public const string BrokerId = "brokerId";

    /// <summary>RocketMQ's HA port: this node's Raft port in classic mode (default listenPort + 1).</summary>
    public const string HaListenPort = "haListenPort";

    /// <summary>RocketMQ's: a slave's master HA address (host:haListenPort); optional, the slave finds it through the name servers.</summary>
    public const string HaMasterAddress = "haMasterAddress";

    /// <summary>RocketMQ's: the IPv4 address of this node's HA (Raft) port in classic mode; default brokerIP1.</summary>
    public const string BrokerIp2 = "brokerIP2";
}
