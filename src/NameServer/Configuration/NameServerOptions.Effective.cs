using System.Globalization;

namespace RaftMq.NameServer.Configuration;

public sealed partial record NameServerOptions
{
    /// <summary>The settings in force, in namesrv.conf's keys and units (what GET_NAMESRV_CONFIG answers), sorted by key.</summary>
    public SortedDictionary<string, string> ToProperties() => new(StringComparer.Ordinal)
    {
        [NameServerKeys.ListenPort] = Text(ListenPort),
        [NameServerKeys.BindAddress] = BindAddress.ToString(),
        [NameServerKeys.MetricsPort] = Text(MetricsPort),
        [NameServerKeys.ScanInterval] = Text((long)ScanInterval.TotalMilliseconds),
        [NameServerKeys.BrokerExpiry] = Text((long)BrokerExpiry.TotalMilliseconds),
        [NameServerKeys.ClientRequestWorkers] = Text(ClientRequestWorkers),
        [NameServerKeys.DefaultWorkers] = Text(DefaultWorkers),
        [NameServerKeys.RequestQueueCapacity] = Text(RequestQueueCapacity),
        [NameServerKeys.IdleTimeoutSeconds] = Text((long)IdleTimeout.TotalSeconds),
        [NameServerKeys.FrameReadTimeoutMillis] = Text((long)FrameReadTimeout.TotalMilliseconds),
        [NameServerKeys.PartialFrameBudgetBytes] = Text(PartialFrameBudgetBytes),
        [NameServerKeys.AclEnable] = AclEnable ? "true" : "false",
        [NameServerKeys.AclFile] = AclFile,
    };

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
