using System.Net;
using RaftMq.Foundation.Configuration;
using RaftMq.Protocol.Tls;

namespace RaftMq.NameServer.Configuration;

/// <summary>
/// Settings of one name server. Read from a RocketMQ-style namesrv.conf with <see cref="FromProperties"/>; the keys
/// are listed in <see cref="NameServerKeys"/>.
/// </summary>
public sealed partial record NameServerOptions
{
    public const int DefaultListenPort = 9876;

    /// <summary>TCP port clients and brokers connect to; 0 picks a free port (tests).</summary>
    public int ListenPort { get; init; } = DefaultListenPort;

    /// <summary>Local address to listen on; any interface by default.</summary>
    public IPAddress BindAddress { get; init; } = IPAddress.Any;

    /// <summary>HTTP port serving Prometheus metrics at /metrics (<c>metricsPort</c>); 0, the default, serves none.</summary>
    public int MetricsPort { get; init; }

    /// <summary>How often brokers that stopped registering are looked for.</summary>
    public TimeSpan ScanInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A broker that has not registered for this long is dropped from every route.</summary>
    public TimeSpan BrokerExpiry { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>How long a topic route keeps naming a master that stepped down while its group elects a new one
    /// (<c>masterGapGraceMillis</c>); zero: a route shows the group without a master at once.</summary>
    public TimeSpan MasterGapGrace { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Workers answering GET_ROUTEINFO_BY_TOPIC, the request every client sends every 30 s.</summary>
    public int ClientRequestWorkers { get; init; } = 8;

    /// <summary>Workers for every other request (registrations, cluster info, topic list).</summary>
    public int DefaultWorkers { get; init; } = 8;

    /// <summary>Requests queued per worker group before the name server answers SYSTEM_BUSY.</summary>
    public int RequestQueueCapacity { get; init; } = 50_000;

    /// <summary>A connection without any traffic for this long is closed (RocketMQ serverChannelMaxIdleTimeSeconds); zero: never.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Longest a started frame may take to arrive completely; zero: no limit.</summary>
    public TimeSpan FrameReadTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Bytes all connections together may hold in partially received frames.</summary>
    public long PartialFrameBudgetBytes { get; init; } = 128L * 1024 * 1024;

    /// <summary>Where these settings came from, for error messages.</summary>
    public string Source { get; init; } = "(options)";

    /// <summary>Keys present in the configuration that no setting uses (typos, or Java settings we do not
    /// honour); the name server warns about them at start.</summary>
    public IReadOnlyList<string> UnrecognizedKeys { get; init; } = [];

    public IPEndPoint ListenEndPoint => new(BindAddress, ListenPort);

    /// <summary>Plain ACL on the write commands (<c>aclEnable</c>); rules from <see cref="AclFile"/>.</summary>
    public bool AclEnable { get; init; }

    /// <summary>TLS of the port (<c>tlsEnable</c>, <c>tlsMode</c>, <c>tls.server.*</c>); plaintext by default.</summary>
    public TlsConfig Tls { get; init; } = TlsConfig.Disabled;

    /// <summary>This name server's own plain_acl.yml (<c>aclFile</c>; default plain_acl.yml beside namesrv.conf).</summary>
    public string AclFile { get; init; } = "plain_acl.yml";

    /// <summary>How often the ACL file is looked at for changes.</summary>
    public TimeSpan AclFileCheckInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Throws <see cref="ConfigException"/> naming the first bad setting.</summary>
    public void Validate()
    {
        Require(ListenPort is >= 0 and <= IPEndPoint.MaxPort, NameServerKeys.ListenPort, ListenPort, "must be between 0 and 65535");
        Require(MetricsPort is >= 0 and <= IPEndPoint.MaxPort, NameServerKeys.MetricsPort, MetricsPort, "must be between 0 (off) and 65535");
        Require(ScanInterval > TimeSpan.Zero, NameServerKeys.ScanInterval, (long)ScanInterval.TotalMilliseconds, "must be a positive number of milliseconds");
        Require(BrokerExpiry > ScanInterval, NameServerKeys.BrokerExpiry, (long)BrokerExpiry.TotalMilliseconds,
            $"must be longer than {NameServerKeys.ScanInterval} ({(long)ScanInterval.TotalMilliseconds} ms)");
        Require(ClientRequestWorkers >= 1, NameServerKeys.ClientRequestWorkers, ClientRequestWorkers, "must be at least 1");
        Require(DefaultWorkers >= 1, NameServerKeys.DefaultWorkers, DefaultWorkers, "must be at least 1");
        Require(RequestQueueCapacity >= 1, NameServerKeys.RequestQueueCapacity, RequestQueueCapacity, "must be at least 1");
    }

    private void Require(bool condition, string key, object value, string reason)
    {
        if (!condition) throw new ConfigException(key, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture), Source, null, reason);
    }
}

/// <summary>namesrv.conf keys the name server honours (RocketMQ's spelling where RocketMQ has the setting).</summary>
public static class NameServerKeys
{
    /// <summary>TCP port (RocketMQ NettyServerConfig), default 9876.</summary>
    public const string ListenPort = "listenPort";

    /// <summary>IP address to bind (RocketMQ NettyServerConfig), default 0.0.0.0.</summary>
    public const string BindAddress = "bindAddress";

    /// <summary>RaftMq's: HTTP port of the Prometheus metrics endpoint, default 0 (off).</summary>
    public const string MetricsPort = "metricsPort";

    /// <summary>Expiry scan period in ms (RocketMQ 5 NamesrvConfig), default 10000.</summary>
    public const string ScanInterval = "scanNotActiveBrokerInterval";

    /// <summary>Broker expiry in ms (RocketMQ's BROKER_CHANNEL_EXPIRED_TIME, a constant there), default 120000.</summary>
    public const string BrokerExpiry = "brokerChannelExpiredTime";

    /// <summary>RaftMq's: ms a route keeps naming a master that stepped down while its group has no new master,
    /// default 10000; 0 = off.</summary>
    public const string MasterGapGraceMillis = "masterGapGraceMillis";

    /// <summary>Route-query workers (RocketMQ 5 NamesrvConfig), default 8.</summary>
    public const string ClientRequestWorkers = "clientRequestThreadPoolNums";

    /// <summary>Workers for other requests (RocketMQ NamesrvConfig), default 8.</summary>
    public const string DefaultWorkers = "defaultThreadPoolNums";

    /// <summary>Idle seconds before a connection is closed (RocketMQ NettyServerConfig), default 120; 0 = never.</summary>
    public const string IdleTimeoutSeconds = "serverChannelMaxIdleTimeSeconds";

    /// <summary>RaftMq's: ms a started frame may take to arrive, default 30000; 0 = no limit.</summary>
    public const string FrameReadTimeoutMillis = "serverFrameReadTimeoutMillis";

    /// <summary>RaftMq's: bytes in partially received frames over all connections, default 128 MiB.</summary>
    public const string PartialFrameBudgetBytes = "serverPartialFrameBudgetBytes";

    /// <summary>Queued requests per worker group before SYSTEM_BUSY, default 50000.</summary>
    public const string RequestQueueCapacity = "requestQueueCapacity";

    /// <summary>Plain ACL on the write commands (register/unregister broker, KV and topic deletion), default false.</summary>
    public const string AclEnable = "aclEnable";

    /// <summary>The plain_acl.yml this name server reads (it has no log; each name server reads its own), default beside namesrv.conf.</summary>
    public const string AclFile = "aclFile";

    public static IReadOnlySet<string> All { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        ListenPort, BindAddress, MetricsPort, ScanInterval, BrokerExpiry, MasterGapGraceMillis, ClientRequestWorkers, DefaultWorkers, RequestQueueCapacity,
        IdleTimeoutSeconds, FrameReadTimeoutMillis, PartialFrameBudgetBytes, AclEnable, AclFile,
        TlsKeys.Enable, TlsKeys.RocketMqEnable, TlsKeys.Mode, TlsKeys.ServerMode, TlsKeys.ServerCertPath, TlsKeys.ServerKeyPath,
        TlsKeys.ServerKeyPassword, TlsKeys.ServerNeedClientAuth, TlsKeys.ServerAuthClient, TlsKeys.ServerTrustCertPath, TlsKeys.ClientCertPath,
        TlsKeys.ClientKeyPath, TlsKeys.ClientKeyPassword, TlsKeys.ClientAuthServer, TlsKeys.ClientTrustCertPath, TlsKeys.TestModeEnable,
        TlsKeys.ConfigFile,
    };
}
