using System.Globalization;
using System.Net;
using RaftMq.Foundation.Configuration;
using RaftMq.Protocol.Tls;

namespace RaftMq.NameServer.Configuration;

public sealed partial record NameServerOptions
{
    /// <summary>Reads and validates the settings; absent keys keep their defaults. Throws
    /// <see cref="ConfigException"/> naming key, value and file.</summary>
    public static NameServerOptions FromProperties(PropertiesFile properties)
    {
        ArgumentNullException.ThrowIfNull(properties);
        var defaults = new NameServerOptions();
        var options = new NameServerOptions
        {
            Source = properties.FilePath,
            ListenPort = properties.GetInt32(NameServerKeys.ListenPort, defaults.ListenPort, 0, IPEndPoint.MaxPort),
            BindAddress = ReadAddress(properties, NameServerKeys.BindAddress, defaults.BindAddress),
            MetricsPort = properties.GetInt32(NameServerKeys.MetricsPort, 0, 0, IPEndPoint.MaxPort),
            ScanInterval = ReadMilliseconds(properties, NameServerKeys.ScanInterval, defaults.ScanInterval),
            BrokerExpiry = ReadMilliseconds(properties, NameServerKeys.BrokerExpiry, defaults.BrokerExpiry),
            MasterGapGrace = TimeSpan.FromMilliseconds(properties.GetInt64(NameServerKeys.MasterGapGraceMillis,
                (long)defaults.MasterGapGrace.TotalMilliseconds, 0, (long)TimeSpan.FromHours(1).TotalMilliseconds)),
            ClientRequestWorkers = properties.GetInt32(NameServerKeys.ClientRequestWorkers, defaults.ClientRequestWorkers, 1, 1024),
            DefaultWorkers = properties.GetInt32(NameServerKeys.DefaultWorkers, defaults.DefaultWorkers, 1, 1024),
            RequestQueueCapacity = properties.GetInt32(NameServerKeys.RequestQueueCapacity, defaults.RequestQueueCapacity, 1, 10_000_000),
            IdleTimeout = TimeSpan.FromSeconds(properties.GetInt64(NameServerKeys.IdleTimeoutSeconds, 120, 0, 86_400)),
            FrameReadTimeout = TimeSpan.FromMilliseconds(properties.GetInt64(NameServerKeys.FrameReadTimeoutMillis, 30_000, 0, 3_600_000)),
            PartialFrameBudgetBytes = properties.GetInt64(NameServerKeys.PartialFrameBudgetBytes, defaults.PartialFrameBudgetBytes,
                16L * 1024 * 1024, 64L * 1024 * 1024 * 1024),
            AclEnable = properties.GetBoolean(NameServerKeys.AclEnable, false),
            AclFile = ReadAclFile(properties),
            Tls = TlsConfig.Read(new TlsKeySource(key => properties.GetString(key)?.Trim(),
                (key, reason) => properties.Error(key, reason), ConfFolder(properties))),
            UnrecognizedKeys = properties.Entries.Select(entry => entry.Key).Distinct().Where(key => !NameServerKeys.All.Contains(key)).Order(StringComparer.Ordinal).ToArray(),
        };
        options.Validate();
        if (options.AclEnable && !File.Exists(options.AclFile))
        {
            throw properties.Error(properties.Contains(NameServerKeys.AclFile) ? NameServerKeys.AclFile : NameServerKeys.AclEnable,
                $"ACL is enabled but {options.AclFile} does not exist; create it (RocketMQ's plain_acl.yml format) or set aclFile");
        }
        return options;
    }

    /// <summary>Relative paths are taken from the folder of namesrv.conf (the working folder when built in code).</summary>
    private static string ReadAclFile(PropertiesFile properties)
    {
        string text = properties.GetString(NameServerKeys.AclFile)?.Trim() ?? "plain_acl.yml";
        return Path.GetFullPath(text, ConfFolder(properties));
    }

    private static string ConfFolder(PropertiesFile properties) =>
        File.Exists(properties.FilePath) ? Path.GetDirectoryName(Path.GetFullPath(properties.FilePath))! : Directory.GetCurrentDirectory();

    private static TimeSpan ReadMilliseconds(PropertiesFile properties, string key, TimeSpan defaultValue) =>
        TimeSpan.FromMilliseconds(properties.GetInt64(key, (long)defaultValue.TotalMilliseconds, 1, (long)TimeSpan.FromDays(1).TotalMilliseconds));

    private static IPAddress ReadAddress(PropertiesFile properties, string key, IPAddress defaultValue)
    {
        string? text = properties.GetString(key);
        if (text is null) return defaultValue;
        return IPAddress.TryParse(text, out var address) ? address : throw properties.Error(key, "expected an IP address such as 0.0.0.0 or 127.0.0.1");
    }
}
