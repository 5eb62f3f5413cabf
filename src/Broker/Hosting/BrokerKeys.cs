namespace RaftMq.Broker.Hosting;

/// <summary>The broker.conf keys read by <see cref="BrokerOptions.FromProperties"/>, documented in
/// docs/configuration/broker-keys.md. RocketMQ's names are kept so existing configuration files work.</summary>
public static class BrokerKeys
{
    public const string ClusterName = "brokerClusterName";
    public const string BrokerName = "brokerName";
    public const string BrokerIp = "brokerIP1";
    public const string ListenPort = "listenPort";
    public const string BindAddress = "bindAddress";

    /// <summary>RaftMq's: HTTP port serving Prometheus metrics at /metrics; absent or 0 = off.</summary>
    public const string MetricsPort = "metricsPort";
    public const string NameServerAddress = "namesrvAddr";
    public const string EnableDLegerCommitLog = "enableDLegerCommitLog";
    public const string AutoCreateTopicEnable = "autoCreateTopicEnable";
    public const string EnablePropertyFilter = "enablePropertyFilter";

    /// <summary>RocketMQ's: create the message trace topic (one queue) at start.</summary>
    public const string TraceTopicEnable = "traceTopicEnable";

    /// <summary>RocketMQ's: the topic named after the broker group takes messages (mqadmin sendMsgStatus, clusterRT); false: it exists, inherit-only.</summary>
    public const string BrokerTopicEnable = "brokerTopicEnable";

    /// <summary>RocketMQ's: the topic named after the cluster takes messages; false: it exists, inherit-only.</summary>
    public const string ClusterTopicEnable = "clusterTopicEnable";

    /// <summary>RocketMQ's: name of the trace topic <see cref="TraceTopicEnable"/> creates (RMQ_SYS_TRACE_TOPIC).</summary>
    public const string MsgTraceTopicName = "msgTraceTopicName";
    public const string DefaultTopicQueueNums = "defaultTopicQueueNums";
    public const string MaxMessageSize = "maxMessageSize";

    /// <summary>RocketMQ's: hash slots per key index file.</summary>
    public const string MaxHashSlotNum = "maxHashSlotNum";

    /// <summary>RocketMQ's: entries (indexed keys) per key index file.</summary>
    public const string MaxIndexNum = "maxIndexNum";
    public const string MessageDelayLevel = "messageDelayLevel";
    public const string SendThreads = "sendMessageThreadPoolNums";
    public const string SendQueueCapacity = "sendThreadPoolQueueCapacity";

    /// <summary>RaftMq's: sends started and not yet answered (waiting for their commit), per broker.</summary>
    public const string SendMaxInFlight = "sendMaxInFlightRequests";

    public const string PullThreads = "pullMessageThreadPoolNums";
    public const string PullQueueCapacity = "pullThreadPoolQueueCapacity";
    public const string ClientThreads = "clientManageThreadPoolNums";
    public const string ClientQueueCapacity = "clientManagerThreadPoolQueueCapacity";
    public const string AdminThreads = "adminBrokerThreadPoolNums";
    public const string RegisterNameServerPeriod = "registerNameServerPeriod";

    /// <summary>RaftMq's: cap of a parked pull's wait in ms.</summary>
    public const string LongPollingMaxSuspendMs = "longPollingMaxSuspendMs";

    /// <summary>RaftMq's: most pulls parked at once.</summary>
    public const string LongPollingMaxParked = "longPollingMaxParked";

    /// <summary>RaftMq's: default re-deliveries before the DLQ (RocketMQ keeps it per subscription group, retryMaxTimes).</summary>
    public const string MaxReconsumeTimes = "maxReconsumeTimes";

    /// <summary>RocketMQ's: seconds a client connection may stay without any traffic before it is closed; 0 = never.</summary>
    public const string ServerChannelMaxIdleTimeSeconds = "serverChannelMaxIdleTimeSeconds";

    /// <summary>RaftMq's: ms a started remoting frame may take to arrive completely; 0 = no limit.</summary>
    public const string ServerFrameReadTimeoutMillis = "serverFrameReadTimeoutMillis";

    /// <summary>RaftMq's: bytes all client connections together may hold in partially received frames.</summary>
    public const string ServerPartialFrameBudgetBytes = "serverPartialFrameBudgetBytes";

    /// <summary>Ms after which a half message without outcome is first checked (RocketMQ's, 6000).</summary>
    public const string TransactionTimeOut = "transactionTimeOut";

    /// <summary>Ms between two checks of one half message (RocketMQ's, 60000).</summary>
    public const string TransactionCheckInterval = "transactionCheckInterval";

    /// <summary>Checks before a half message is discarded to TRANS_CHECK_MAX_TIME_TOPIC (RocketMQ's, 15).</summary>
    public const string TransactionCheckMax = "transactionCheckMax";

    /// <summary>RocketMQ's: plain ACL on (accounts in plain_acl.yml, rules replicated through the log).</summary>
    public const string AclEnable = "aclEnable";

    /// <summary>RaftMq's: the plain_acl.yml this node's leader proposes; default plain_acl.yml beside the broker.conf.</summary>
    public const string AclFile = "aclFile";

    /// <summary>RaftMq's: the keys this broker signs its name-server registrations with (for ACL-enabled name servers).</summary>
    public const string AccessKey = "accessKey";

    /// <summary>RaftMq's: see <see cref="AccessKey"/>.</summary>
    public const string SecretKey = "secretKey";

    /// <summary>RocketMQ's classic role (no dLegerPeers): ASYNC_MASTER, SYNC_MASTER or SLAVE.</summary>
    public const string BrokerRole = "brokerRole";

    /// <summary>RocketMQ's: 0 = master, above 0 = slave (classic mode; ignored in DLedger mode, as RocketMQ does).</summary>
    public const string BrokerId = "brokerId";

    /// <summary>RocketMQ's: pull responses may send consumers to a slave (suggestWhichBrokerId).</summary>
    public const string SlaveReadEnable = "slaveReadEnable";

    /// <summary>RocketMQ's: % of the memory a consumer's backlog may exceed before slaveReadEnable sends it to
    /// whichBrokerWhenConsumeSlowly (40).</summary>
    public const string AccessMessageInMemoryMaxRatio = "accessMessageInMemoryMaxRatio";

    /// <summary>RocketMQ's: ms a SYNC_MASTER send waits for a slave (5000).</summary>
    public const string SyncFlushTimeout = "syncFlushTimeout";

    /// <summary>RocketMQ's: bytes behind past which a slave is not available to a SYNC_MASTER (268435456).</summary>
    public const string HaSlaveFallbehindMax = "haSlaveFallbehindMax";

    /// <summary>Accepted for compatibility with RocketMQ samples, without effect (see the docs).</summary>
    public static readonly IReadOnlyList<string> AcceptedWithoutEffect = ["storePathCommitLog", "brokerId"];
}
