using System.Globalization;
using RaftMq.Broker.Processors;
using RaftMq.Broker.Processors.Delay;
using RaftMq.Consensus.Configuration;

namespace RaftMq.Broker.Hosting;

/// <summary>
/// The settings a broker node runs with, in broker.conf's keys and units (what GET_BROKER_CONFIG answers): the values read
/// at start, with the run-time ones (<see cref="RuntimeSettings"/>) as they are now. Secrets (ACL keys, TLS passwords, the
/// peer secret) are never listed.
/// </summary>
public static class EffectiveBrokerConfig
{
    public static SortedDictionary<string, string> Properties(BrokerNodeConfiguration config, RuntimeSettings runtime)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(runtime);
        var broker = config.Broker;
        var consensus = config.Consensus;
        return new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            [BrokerKeys.ClusterName] = broker.ClusterName,
            [BrokerKeys.BrokerName] = broker.BrokerName,
            [BrokerKeys.BrokerIp] = broker.BrokerIp,
            [BrokerKeys.ListenPort] = Text(broker.ListenPort),
            [BrokerKeys.BindAddress] = broker.BindAddress.ToString(),
            [BrokerKeys.MetricsPort] = Text(broker.MetricsPort),
            [BrokerKeys.NameServerAddress] = string.Join(';', broker.NameServerAddresses),
            [BrokerKeys.AutoCreateTopicEnable] = Bool(broker.AutoCreateTopicEnable),
            [BrokerKeys.EnablePropertyFilter] = Bool(broker.EnablePropertyFilter),
            [BrokerKeys.TraceTopicEnable] = Bool(broker.TraceTopicEnable),
            [BrokerKeys.BrokerTopicEnable] = Bool(broker.BrokerTopicEnable),
            [BrokerKeys.ClusterTopicEnable] = Bool(broker.ClusterTopicEnable),
            [BrokerKeys.MsgTraceTopicName] = broker.MsgTraceTopicName,
            [BrokerKeys.DefaultTopicQueueNums] = Text(broker.DefaultTopicQueueNums),
            [BrokerKeys.MaxMessageSize] = Text(broker.MaxMessageSizeBytes),
            [BrokerKeys.MaxHashSlotNum] = Text(broker.MaxHashSlotNum),
            [BrokerKeys.MaxIndexNum] = Text(broker.MaxIndexNum),
            [BrokerKeys.MessageDelayLevel] = DelayLevelsText(broker.DelayLevels),
            [BrokerKeys.SendThreads] = Text(broker.SendThreads),
            [BrokerKeys.SendQueueCapacity] = Text(broker.SendQueueCapacity),
            [BrokerKeys.SendMaxInFlight] = Text(broker.SendMaxInFlight),
            [BrokerKeys.PullThreads] = Text(broker.PullThreads),
            [BrokerKeys.PullQueueCapacity] = Text(broker.PullQueueCapacity),
            [BrokerKeys.ClientThreads] = Text(broker.ClientThreads),
            [BrokerKeys.ClientQueueCapacity] = Text(broker.ClientQueueCapacity),
            [BrokerKeys.AdminThreads] = Text(broker.AdminThreads),
            [BrokerKeys.RegisterNameServerPeriod] = Text((long)broker.RegisterNameServerPeriod.TotalMilliseconds),
            [BrokerKeys.LongPollingMaxSuspendMs] = Text((long)runtime.LongPollingMaxSuspend.TotalMilliseconds),
            [BrokerKeys.LongPollingMaxParked] = Text(runtime.LongPollingMaxParked),
            [BrokerKeys.MaxReconsumeTimes] = Text(broker.MaxReconsumeTimes),
            [BrokerKeys.ServerChannelMaxIdleTimeSeconds] = Text((long)broker.ServerIdleTimeout.TotalSeconds),
            [BrokerKeys.ServerFrameReadTimeoutMillis] = Text((long)broker.ServerFrameReadTimeout.TotalMilliseconds),
            [BrokerKeys.ServerPartialFrameBudgetBytes] = Text(broker.ServerPartialFrameBudgetBytes),
            [BrokerKeys.TransactionTimeOut] = Text((long)broker.TransactionTimeout.TotalMilliseconds),
            [BrokerKeys.TransactionCheckInterval] = Text((long)broker.TransactionCheckInterval.TotalMilliseconds),
            [BrokerKeys.TransactionCheckMax] = Text(broker.TransactionCheckMax),
            [BrokerKeys.AclEnable] = Bool(broker.Acl.Enabled),
            [BrokerKeys.AclFile] = broker.Acl.FilePath,
            [ConsensusKeys.Group] = consensus.Group,
            [ConsensusKeys.Peers] = consensus.Peers.ToString(),
            [ConsensusKeys.SelfId] = consensus.SelfId,
            [ConsensusKeys.PreferredLeaderId] = consensus.PreferredLeaderId ?? "",
            [ConsensusKeys.StorePathRootDir] = consensus.StorePathRootDir,
            [ConsensusKeys.FlushDiskType] = consensus.FlushDiskType == FlushDiskType.SyncFlush ? "SYNC_FLUSH" : "ASYNC_FLUSH",
            [ConsensusKeys.FlushIntervalMs] = Text((long)consensus.FlushInterval.TotalMilliseconds),
            [ConsensusKeys.MappedFileSizeCommitLog] = Text(consensus.DataFileSizeBytes),
            [ConsensusKeys.RaftTickMs] = Text((long)consensus.TickInterval.TotalMilliseconds),
            [ConsensusKeys.RaftElectionTicks] = Text(consensus.ElectionTicks),
            [ConsensusKeys.RaftHeartbeatTicks] = Text(consensus.HeartbeatTicks),
            [ConsensusKeys.RaftMaxInflightAppends] = Text(consensus.MaxInflightAppends),
            [ConsensusKeys.RaftMaxInflightBytes] = Text(consensus.MaxInflightBytes),
            [ConsensusKeys.RaftMaxAppendBytes] = Text(consensus.MaxAppendBytes),
            [ConsensusKeys.RaftCatchUpRateMultiplier] = Text(consensus.CatchUpRateMultiplier),
            [ConsensusKeys.RaftCatchUpMinBytesPerSecond] = Text(consensus.CatchUpMinBytesPerSecond),
            [ConsensusKeys.FileReservedTime] = Text(consensus.FileReservedHours),
            [ConsensusKeys.DeleteWhen] = string.Join(';', consensus.DeleteWhenHours.Select(hour => hour.ToString("D2", CultureInfo.InvariantCulture))),
            [ConsensusKeys.DiskMaxUsedSpaceRatio] = Text(consensus.DiskMaxUsedSpaceRatio),
        };
    }

    /// <summary>The levels in messageDelayLevel's own notation ("1s 5s ... 2h").</summary>
    private static string DelayLevelsText(DelayLevels levels)
    {
        var parts = new string[levels.MaxLevel];
        for (int level = 1; level <= levels.MaxLevel; level++)
        {
            var delay = levels.DelayOf(level);
            parts[level - 1] = delay.TotalSeconds % 86_400 == 0 ? $"{(long)delay.TotalDays}d"
                : delay.TotalSeconds % 3600 == 0 ? $"{(long)delay.TotalHours}h"
                : delay.TotalSeconds % 60 == 0 ? $"{(long)delay.TotalMinutes}m"
                : $"{(long)delay.TotalSeconds}s";
        }
        return string.Join(' ', parts);
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Bool(bool value) => value ? "true" : "false";
}
