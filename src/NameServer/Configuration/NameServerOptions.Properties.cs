using System.Globalization;
using System.Net;
using RaftMq.Protocol.Tls;

namespace RaftMq.NameServer.Configuration;

public sealed partial record NameServerOptions
{
    /// <summary>Reads and validates the settings; absent keys keep their defaults. Throws
    /// <see cref="NameServerConfigException"/> naming key, value and file.</summary>
    public static NameServerOptions FromProperties(NameServerProperties properties)
    {
        ArgumentNullException.ThrowIfNull(properties);
        var defaults = new NameServerOptions();
        var options = new NameServerOptions
        {
            Source = properties.Source,
            ListenPort = (int)ReadInteger(properties, NameServerKeys.ListenPort, defaults.ListenPort, 0, IPEndPoint.MaxPort),
            BindAddress = ReadAddress(properties, NameServerKeys.BindAddress, defaults.BindAddress),
            MetricsPort = (int)ReadInteger(properties, NameServerKeys.MetricsPort, 0, 0, IPEndPoint.MaxPort),
            ScanInterval = ReadMilliseconds(properties, NameServerKeys.ScanInterval, defaults.ScanInterval),
            BrokerExpiry = ReadMilliseconds(properties, NameServerKeys.BrokerExpiry, defaults.BrokerExpiry),
            MasterGapGrace = TimeSpan.FromMilliseconds(ReadInteger(properties, NameServerKeys.MasterGapGraceMillis,
                (long)defaults.MasterGapGrace.TotalMilliseconds, 0, (long)TimeSpan.FromHours(1).TotalMilliseconds)),
            ClientRequestWorkers = (int)ReadInteger(properties, NameServerKeys.ClientRequestWorkers, defaults.ClientRequestWorkers, 1, 1024),
            DefaultWorkers = (int)ReadInteger(properties, NameServerKeys.DefaultWorkers, defaults.DefaultWorkers, 1, 1024),
            RequestQueueCapacity = (int)ReadInteger(properties, NameServerKeys.RequestQueueCapacity, defaults.RequestQueueCapacity, 1, 10_000_000),
            IdleTimeout = TimeSpan.FromSeconds(ReadInteger(properties, NameServerKeys.IdleTimeoutSeconds, 120, 0, 86_400)),
            FrameReadTimeout = TimeSpan.FromMilliseconds(ReadInteger(properties, NameServerKeys.FrameReadTimeoutMillis, 30_000, 0, 3_600_000)),
            PartialFrameBudgetBytes = ReadInteger(properties, NameServerKeys.PartialFrameBudgetBytes, defaults.PartialFrameBudgetBytes,
                16L * 1024 * 1024, 64L * 1024 * 1024 * 1024),
            AclEnable = ReadBoolean(properties, NameServerKeys.AclEnable, false),
            AclFile = ReadAclFile(properties),
            Tls = TlsConfig.Read(new TlsKeySource(key => properties.TryGet(key, out var value, out _) ? value.Trim() : null,
                (key, reason) => properties.Error(key, reason), ConfFolder(properties))),
            UnrecognizedKeys = properties.Keys.Where(key => !NameServerKeys.All.Contains(key)).Order(StringComparer.Ordinal).ToArray(),
        };
        options.Validate();
        if (options.AclEnable && !File.Exists(options.AclFile))
        {
            throw properties.Error(properties.TryGet(NameServerKeys.AclFile, out _, out _) ? NameServerKeys.AclFile : NameServerKeys.AclEnable,
                $"ACL is enabled but {options.AclFile} does not exist; create it (RocketMQ's plain_acl.yml format) or set aclFile");
        }
        return options;
    }

    private static bool ReadBoolean(NameServerProperties properties, string key, bool defaultValue)
    {
        if (!properties.TryGet(key, out var text, out _)) return defaultValue;
        return text.Trim().ToLowerInvariant() switch
        {
            "true" => true,
            "false" => false,
            _ => throw properties.Error(key, "expected true or false"),
        };
    }

    /// <summary>Relative paths are taken from the folder of namesrv.conf (the working folder when built in code).</summary>
    private static string ReadAclFile(NameServerProperties properties)
    {
        string text = properties.TryGet(NameServerKeys.AclFile, out var value, out _) ? value.Trim() : "plain_acl.yml";
        return Path.GetFullPath(text, ConfFolder(properties));
    }

    private static string ConfFolder(NameServerProperties properties) =>
        File.Exists(properties.Source) ? Path.GetDirectoryName(Path.GetFullPath(properties.Source))! : Directory.GetCurrentDirectory();

    private static long ReadInteger(NameServerProperties properties, string key, long defaultValue, long min, long max)
    {
        if (!properties.TryGet(key, out var text, out _)) return defaultValue;
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value))
            throw properties.Error(key, "expected an integer");
        if (value < min || value > max)
            throw properties.Error(key, string.Create(CultureInfo.InvariantCulture, $"must be between {min} and {max}"));
        return value;
    }

    private static TimeSpan ReadMilliseconds(NameServerProperties properties, string key, TimeSpan defaultValue) =>
        TimeSpan.FromMilliseconds(ReadInteger(properties, key, (long)defaultValue.TotalMilliseconds, 1, (long)TimeSpan.FromDays(1).TotalMilliseconds));

    private static IPAddress ReadAddress(NameServerProperties properties, string key, IPAddress defaultValue)
    {
        if (!properties.TryGet(key, out var text, out _)) return defaultValue;
        return IPAddress.TryParse(text, out var address) ? address : throw properties.Error(key, "expected an IP address such as 0.0.0.0 or 127.0.0.1");
    }
}
