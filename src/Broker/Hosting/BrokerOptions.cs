using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using RaftMq.Broker.Acl;
using RaftMq.Broker.Processors;
using RaftMq.Broker.Processors.Delay;
using RaftMq.Foundation.Configuration;
using RaftMq.Foundation.Networking;
using RaftMq.Protocol.Messages;
using RaftMq.Protocol.Remoting;
using RaftMq.Protocol.Tls;

namespace RaftMq.Broker.Hosting;

/// <summary>RocketMQ's classic <c>brokerRole</c> (docs/operations/master-slave.md).</summary>
public enum BrokerRole
{
    /// <summary>A send is acknowledged once the master committed it (alone: it is the group's only voter).</summary>
    AsyncMaster,

    /// <summary>A send is acknowledged once a slave also holds it (else FLUSH_SLAVE_TIMEOUT / SLAVE_NOT_AVAILABLE).</summary>
    SyncMaster,

    /// <summary>A learner of its master's log: serves pulls, never becomes master.</summary>
    Slave,
}

/// <summary>
/// Broker settings from broker.conf (keys in <see cref="BrokerKeys"/>): identity, the client-facing port, name
/// servers, topic and message limits, processor pools. Errors are <see cref="ConfigException"/>s naming the key,
/// the value and the file.
/// </summary>
public sealed record BrokerOptions
{
    public string ClusterName { get; init; } = "DefaultCluster";

    public required string BrokerName { get; init; }

    /// <summary>The IPv4 address announced to name servers and stored as STOREHOST (<c>brokerIP1</c>).</summary>
    public required string BrokerIp { get; init; }

    /// <summary>Client-facing remoting port; 0 picks a free port (tests).</summary>
    public int ListenPort { get; init; } = 10911;

    /// <summary>Local address the client-facing port listens on (<c>bindAddress</c>); all interfaces by default,
    /// 127.0.0.1 for a group that lives on one machine.</summary>
    public IPAddress BindAddress { get; init; } = IPAddress.Any;

    public IReadOnlyList<string> NameServerAddresses { get; init; } = [];

    /// <summary>HTTP port serving Prometheus metrics at /metrics on <see cref="BindAddress"/> (<c>metricsPort</c>);
    /// 0, the default, serves none.</summary>
    public int MetricsPort { get; init; }

    public bool AutoCreateTopicEnable { get; init; } = true;

    /// <summary>Accept SQL92 subscriptions (<c>enablePropertyFilter</c>, default false as in RocketMQ).</summary>
    public bool EnablePropertyFilter { get; init; }

    /// <summary>Create the trace topic <see cref="MsgTraceTopicName"/> with one queue (<c>traceTopicEnable</c>, default false as in RocketMQ).</summary>
    public bool TraceTopicEnable { get; init; }

    /// <summary>The topic named after <see cref="BrokerName"/> (one queue) takes messages (<c>brokerTopicEnable</c>, default true as in RocketMQ).</summary>
    public bool BrokerTopicEnable { get; init; } = true;

    /// <summary>The topic named after <see cref="ClusterName"/> takes messages (<c>clusterTopicEnable</c>, default true as in RocketMQ).</summary>
    public bool ClusterTopicEnable { get; init; } = true;

    /// <summary>The trace topic (<c>msgTraceTopicName</c>, default RMQ_SYS_TRACE_TOPIC).</summary>
    public string MsgTraceTopicName { get; init; } = SystemNames.TraceTopic;

    public int DefaultTopicQueueNums { get; init; } = 8;

    public int MaxMessageSizeBytes { get; init; } = ProcessorOptions.DefaultMaxMessageSizeBytes;

    /// <summary>Hash slots per key index file (<c>maxHashSlotNum</c>, RocketMQ's default 5,000,000).</summary>
    public int MaxHashSlotNum { get; init; } = 5_000_000;

    /// <summary>Entries per key index file (<c>maxIndexNum</c>, RocketMQ's default 20,000,000).</summary>
    public int MaxIndexNum { get; init; } = 20_000_000;

    public DelayLevels DelayLevels { get; init; } = DelayLevels.Default;

    public int SendThreads { get; init; } = 16;

    public int SendQueueCapacity { get; init; } = 10_000;

    /// <summary>Sends started and not yet answered; a send worker moves on while its send waits for the commit, so
    /// one Raft round carries many producers' messages.</summary>
    public int SendMaxInFlight { get; init; } = 4096;

    public int PullThreads { get; init; } = 8;

    public int PullQueueCapacity { get; init; } = 100_000;

    public int ClientThreads { get; init; } = 4;

    public int ClientQueueCapacity { get; init; } = 50_000;

    public int AdminThreads { get; init; } = 2;

    public TimeSpan RegisterNameServerPeriod { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan LongPollingMaxSuspend { get; init; } = TimeSpan.FromSeconds(25);

    public int LongPollingMaxParked { get; init; } = 10_000;

    public int MaxReconsumeTimes { get; init; } = 16;

    /// <summary>The client-facing remoting server's idle timeout (zero: off).</summary>
    public TimeSpan ServerIdleTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Longest a started frame may take to arrive (zero: off).</summary>
    public TimeSpan ServerFrameReadTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Budget of bytes in partially received frames over all client connections.</summary>
    public long ServerPartialFrameBudgetBytes { get; init; } = 128L * 1024 * 1024;

    public TimeSpan TransactionTimeout { get; init; } = TimeSpan.FromSeconds(6);

    public TimeSpan TransactionCheckInterval { get; init; } = TimeSpan.FromSeconds(60);

    public int TransactionCheckMax { get; init; } = 15;

    /// <summary>Plain ACL (<c>aclEnable</c>, <c>aclFile</c>).</summary>
    public BrokerAclOptions Acl { get; init; } = BrokerAclOptions.Disabled;

    /// <summary>TLS (<c>tlsEnable</c>, <c>tlsMode</c>, <c>tls.server.*</c>, <c>tls.client.*</c>): the client port, the
    /// Raft peer links and this broker's outbound connections; plaintext by default.</summary>
    public TlsConfig Tls { get; init; } = TlsConfig.Disabled;

    /// <summary>Classic master/slave role (<c>brokerRole</c>); null in DLedger mode, where the Raft role decides.</summary>
    public BrokerRole? Role { get; init; }

    /// <summary>Classic mode: the conf's <c>brokerId</c> (0 = master), registered with the name servers as it is.</summary>
    public long BrokerId { get; init; }

    /// <summary>RocketMQ's <c>slaveReadEnable</c>: pull responses suggest the subscription group's broker id (a slave)
    /// instead of the master's.</summary>
    public bool SlaveReadEnable { get; init; }

    /// <summary>RocketMQ's <c>accessMessageInMemoryMaxRatio</c>: with slaveReadEnable, a consumer lagging by more than
    /// this % of the memory is sent to its group's whichBrokerWhenConsumeSlowly.</summary>
    public int AccessMessageInMemoryMaxRatio { get; init; } = 40;

    /// <summary>SYNC_MASTER: longest a send waits for a slave to hold it (<c>syncFlushTimeout</c>, RocketMQ's 5 s).</summary>
    public TimeSpan SyncFlushTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>SYNC_MASTER: a slave this many bytes behind or more counts as not available (<c>haSlaveFallbehindMax</c>, 256 MiB).</summary>
    public long HaSlaveFallbehindMaxBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>The file these options came from, for error messages; null when built in code.</summary>
    public string? SourceFile { get; init; }

    /// <summary>"ip:listenPort" as registered with the name servers.</summary>
    public string AnnouncedAddress => string.Create(CultureInfo.InvariantCulture, $"{BrokerIp}:{ListenPort}");

    public MessageHost StoreHost => MessageHost.Parse(AnnouncedAddress);

    /// <summary>Reads and validates the broker keys of <paramref name="file"/>.</summary>
    public static BrokerOptions FromProperties(PropertiesFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        bool classic = RaftMq.Consensus.Configuration.ConsensusOptions.IsClassicMode(file);
        foreach (string key in BrokerKeys.AcceptedWithoutEffect) file.Contains(key);
        var options = new BrokerOptions
        {
            Role = classic ? ReadRole(file) : null,
            BrokerId = classic ? file.GetInt64(BrokerKeys.BrokerId, 0, 0, long.MaxValue) : 0,
            SlaveReadEnable = file.GetBoolean(BrokerKeys.SlaveReadEnable, false),
            AccessMessageInMemoryMaxRatio = file.GetInt32(BrokerKeys.AccessMessageInMemoryMaxRatio, 40, 0, 100),
            SyncFlushTimeout = TimeSpan.FromMilliseconds(file.GetInt32(BrokerKeys.SyncFlushTimeout, 5_000, 1, 3_600_000)),
            HaSlaveFallbehindMaxBytes = file.GetInt64(BrokerKeys.HaSlaveFallbehindMax, 256L * 1024 * 1024, 1, long.MaxValue),
            ClusterName = file.GetString(BrokerKeys.ClusterName, "DefaultCluster"),
            BrokerName = file.GetRequiredString(BrokerKeys.BrokerName),
            BrokerIp = ReadBrokerIp(file),
            ListenPort = file.GetInt32(BrokerKeys.ListenPort, 10911, 0, IPEndPoint.MaxPort),
            BindAddress = ReadBindAddress(file),
            MetricsPort = file.GetInt32(BrokerKeys.MetricsPort, 0, 0, IPEndPoint.MaxPort),
            NameServerAddresses = ReadNameServers(file),
            AutoCreateTopicEnable = file.GetBoolean(BrokerKeys.AutoCreateTopicEnable, true),
            EnablePropertyFilter = file.GetBoolean(BrokerKeys.EnablePropertyFilter, false),
            TraceTopicEnable = file.GetBoolean(BrokerKeys.TraceTopicEnable, false),
            BrokerTopicEnable = file.GetBoolean(BrokerKeys.BrokerTopicEnable, true),
            ClusterTopicEnable = file.GetBoolean(BrokerKeys.ClusterTopicEnable, true),
            MsgTraceTopicName = ReadTraceTopicName(file),
            DefaultTopicQueueNums = file.GetInt32(BrokerKeys.DefaultTopicQueueNums, 8, 1, 1024),
            MaxMessageSizeBytes = file.GetInt32(BrokerKeys.MaxMessageSize, ProcessorOptions.DefaultMaxMessageSizeBytes, 1024, 15 * 1024 * 1024),
            MaxHashSlotNum = file.GetInt32(BrokerKeys.MaxHashSlotNum, 5_000_000, 1, Store.MessageStoreOptions.MaxHashSlotNumLimit),
            MaxIndexNum = file.GetInt32(BrokerKeys.MaxIndexNum, 20_000_000, 1, Store.MessageStoreOptions.MaxIndexNumLimit),
            DelayLevels = ReadDelayLevels(file),
            SendThreads = file.GetInt32(BrokerKeys.SendThreads, 16, 1, 256),
            SendQueueCapacity = file.GetInt32(BrokerKeys.SendQueueCapacity, 10_000, 1, 10_000_000),
            SendMaxInFlight = file.GetInt32(BrokerKeys.SendMaxInFlight, 4096, 1, 1_000_000),
            PullThreads = file.GetInt32(BrokerKeys.PullThreads, 8, 1, 256),
            PullQueueCapacity = file.GetInt32(BrokerKeys.PullQueueCapacity, 100_000, 1, 10_000_000),
            ClientThreads = file.GetInt32(BrokerKeys.ClientThreads, 4, 1, 256),
            ClientQueueCapacity = file.GetInt32(BrokerKeys.ClientQueueCapacity, 50_000, 1, 10_000_000),
            AdminThreads = file.GetInt32(BrokerKeys.AdminThreads, 2, 1, 64),
            RegisterNameServerPeriod = TimeSpan.FromMilliseconds(file.GetInt32(BrokerKeys.RegisterNameServerPeriod, 30_000, 10_000, 60_000)),
            LongPollingMaxSuspend = TimeSpan.FromMilliseconds(file.GetInt32(BrokerKeys.LongPollingMaxSuspendMs, 25_000, 100, 29_000)),
            LongPollingMaxParked = file.GetInt32(BrokerKeys.LongPollingMaxParked, 10_000, 0, 1_000_000),
            MaxReconsumeTimes = file.GetInt32(BrokerKeys.MaxReconsumeTimes, 16, 0, 1000),
            ServerIdleTimeout = TimeSpan.FromSeconds(file.GetInt32(BrokerKeys.ServerChannelMaxIdleTimeSeconds, 120, 0, 86_400)),
            ServerFrameReadTimeout = TimeSpan.FromMilliseconds(file.GetInt32(BrokerKeys.ServerFrameReadTimeoutMillis, 30_000, 0, 3_600_000)),
            ServerPartialFrameBudgetBytes = file.GetInt64(BrokerKeys.ServerPartialFrameBudgetBytes, 128L * 1024 * 1024, 16L * 1024 * 1024, 64L * 1024 * 1024 * 1024),
            TransactionTimeout = TimeSpan.FromMilliseconds(file.GetInt32(BrokerKeys.TransactionTimeOut, 6_000, 100, 86_400_000)),
            TransactionCheckInterval = TimeSpan.FromMilliseconds(file.GetInt32(BrokerKeys.TransactionCheckInterval, 60_000, 100, 86_400_000)),
            TransactionCheckMax = file.GetInt32(BrokerKeys.TransactionCheckMax, 15, 1, 10_000),
            Acl = ReadAcl(file),
            Tls = TlsConfig.Read(new TlsKeySource(file.GetString, (key, reason) => file.Error(key, reason),
                Path.GetDirectoryName(Path.GetFullPath(file.FilePath)) ?? ".")),
            SourceFile = file.FilePath,
        };
        return options;
    }

    /// <summary>The processors' view of these options.</summary>
    public ProcessorOptions ToProcessorOptions() => new()
    {
        ClusterName = ClusterName,
        BrokerName = BrokerName,
        StoreHost = StoreHost,
        AutoCreateTopicEnable = AutoCreateTopicEnable,
        EnablePropertyFilter = EnablePropertyFilter,
        DefaultTopicQueueNums = DefaultTopicQueueNums,
        MaxMessageSizeBytes = MaxMessageSizeBytes,
        MaxReconsumeTimes = MaxReconsumeTimes,
        DelayLevels = DelayLevels,
        TransactionTimeout = TransactionTimeout,
        TransactionCheckInterval = TransactionCheckInterval,
        TransactionCheckMax = TransactionCheckMax,
        MaxSuspendTime = LongPollingMaxSuspend,
        SlaveReadEnable = SlaveReadEnable,
        ConsumeSlowlyBacklogBytes = ProcessorOptions.MemoryShare(AccessMessageInMemoryMaxRatio),
        ClassicRole = Role switch
        {
            BrokerRole.AsyncMaster => "ASYNC_MASTER",
            BrokerRole.SyncMaster => "SYNC_MASTER",
            BrokerRole.Slave => "SLAVE",
            _ => null,
        },
        MaxSuspendedPulls = LongPollingMaxParked,
        SendGroup = new ProcessorGroupOptions("send", SendThreads, SendQueueCapacity, Math.Max(SendThreads, SendMaxInFlight)),
        PullGroup = new ProcessorGroupOptions("pull", PullThreads, PullQueueCapacity),
        ClientGroup = new ProcessorGroupOptions("client", ClientThreads, ClientQueueCapacity),
        AdminGroup = new ProcessorGroupOptions("admin", AdminThreads, 1_000),
    };

    private static BrokerRole ReadRole(PropertiesFile file) => file.GetChoice(BrokerKeys.BrokerRole, BrokerRole.AsyncMaster,
        ("ASYNC_MASTER", BrokerRole.AsyncMaster), ("SYNC_MASTER", BrokerRole.SyncMaster), ("SLAVE", BrokerRole.Slave));

    private static string ReadTraceTopicName(PropertiesFile file)
    {
        string name = file.GetString(BrokerKeys.MsgTraceTopicName, SystemNames.TraceTopic).Trim();
        return TopicValidation.ValidateName(name) is { } invalid ? throw file.Error(BrokerKeys.MsgTraceTopicName, invalid) : name;
    }

    private static DelayLevels ReadDelayLevels(PropertiesFile file)
    {
        string? text = file.GetString(BrokerKeys.MessageDelayLevel);
        if (text is null) return DelayLevels.Default;
        try
        {
            return DelayLevels.Parse(text);
        }
        catch (FormatException e)
        {
            throw file.Error(BrokerKeys.MessageDelayLevel, e.Message + " (levels are separated by spaces, e.g. \"1s 5s 10s 30s 1m\")");
        }
    }

    private static BrokerAclOptions ReadAcl(PropertiesFile file)
    {
        bool enabled = file.GetBoolean(BrokerKeys.AclEnable, false);
        string folder = Path.GetDirectoryName(Path.GetFullPath(file.FilePath)) ?? ".";
        string path = Path.GetFullPath(file.GetString(BrokerKeys.AclFile, "plain_acl.yml"), folder);
        if (enabled && !File.Exists(path))
        {
            throw file.Error(file.GetString(BrokerKeys.AclFile) is null ? BrokerKeys.AclEnable : BrokerKeys.AclFile,
                $"ACL is enabled but {path} does not exist; create it (RocketMQ's plain_acl.yml format) or set aclFile");
        }
        return new BrokerAclOptions(enabled, path, BrokerAclOptions.DefaultFileCheckInterval);
    }

    private static IPAddress ReadBindAddress(PropertiesFile file)
    {
        string? text = file.GetString(BrokerKeys.BindAddress);
        if (text is null) return IPAddress.Any;
        if (!IPAddress.TryParse(text, out var address))
            throw file.Error(BrokerKeys.BindAddress, "expected an IP address to listen on, e.g. 0.0.0.0 or 127.0.0.1");
        return address;
    }

    private static string ReadBrokerIp(PropertiesFile file)
    {
        string? text = file.GetString(BrokerKeys.BrokerIp);
        if (string.IsNullOrEmpty(text)) return LocalAddress.FirstNonLoopbackIPv4().ToString();
        if (!IPAddress.TryParse(text, out var address) || address.AddressFamily != AddressFamily.InterNetwork)
        {
            throw file.Error(BrokerKeys.BrokerIp, "expected an IPv4 address (RocketMQ clients such as ali-ons read 4-byte hosts only)");
        }
        return address.ToString();
    }

    private static IReadOnlyList<string> ReadNameServers(PropertiesFile file)
    {
        string text = file.GetString(BrokerKeys.NameServerAddress, "");
        var addresses = new List<string>();
        foreach (string part in text.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            int colon = part.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(part.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port)
                || port is < 1 or > IPEndPoint.MaxPort)
            {
                throw file.Error(BrokerKeys.NameServerAddress, $"'{part}' is not host:port; expected host:port;host:port");
            }
            addresses.Add(part);
        }
        return addresses;
    }
}
