using System.Globalization;
using RaftMq.Foundation.Configuration;

namespace RaftMq.Broker.Registration;

/// <summary>How a broker keeps itself registered with its name servers (broker.conf <c>namesrvAddr</c>,
/// <c>registerNameServerPeriod</c>, <c>registerBrokerTimeoutMills</c>).</summary>
public sealed record NameServerRegistrarOptions
{
    public const string AddressesKey = "namesrvAddr";
    public const string PeriodKey = "registerNameServerPeriod";
    public const string TimeoutKey = "registerBrokerTimeoutMills";

    /// <summary>Every name server, as "host:port"; the broker registers with each independently.</summary>
    public required IReadOnlyList<string> NameServerAddresses { get; init; }

    /// <summary>Re-registration period; a name server drops a broker silent for 120 s, so keep it well below.</summary>
    public TimeSpan RegisterPeriod { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Bound on one registration with one name server, connecting included.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(6);

    /// <summary>The file these options came from, for errors; null when built in code.</summary>
    public string? SourceFile { get; init; }

    /// <summary>Plain-ACL keys registrations are signed with (broker.conf <c>accessKey</c>/<c>secretKey</c>), for name
    /// servers with <c>aclEnable=true</c>; null sends unsigned.</summary>
    public RaftMq.Protocol.Acl.AclCredentials? Credentials { get; init; }

    /// <summary>TLS towards the name servers (the broker's <c>tlsEnable</c> and tls.client.* keys); null: plaintext.</summary>
    public RaftMq.Protocol.Tls.ClientTls? Tls { get; init; }

    /// <summary>Splits RocketMQ's <c>namesrvAddr</c> ("a:9876;b:9876"); blanks and duplicates are dropped.</summary>
    public static IReadOnlyList<string> ParseAddresses(string namesrvAddr)
    {
        ArgumentNullException.ThrowIfNull(namesrvAddr);
        return namesrvAddr.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Distinct(StringComparer.Ordinal)
            .ToArray();
    }

    /// <summary>Throws <see cref="ConfigException"/> naming the first bad setting.</summary>
    public void Validate()
    {
        string joined = string.Join(';', NameServerAddresses);
        if (NameServerAddresses.Count == 0) throw Error(AddressesKey, joined, "at least one name server address is required");
        foreach (string address in NameServerAddresses)
        {
            if (!IsHostAndPort(address)) throw Error(AddressesKey, joined, $"'{address}' is not a host:port address");
        }
        if (RegisterPeriod <= TimeSpan.Zero) throw Error(PeriodKey, Milliseconds(RegisterPeriod), "must be a positive number of milliseconds");
        if (RequestTimeout <= TimeSpan.Zero) throw Error(TimeoutKey, Milliseconds(RequestTimeout), "must be a positive number of milliseconds");
    }

    private static bool IsHostAndPort(string address)
    {
        int colon = address.LastIndexOf(':');
        return colon > 0 &&
               int.TryParse(address.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port) &&
               port is > 0 and <= 65535;
    }

    private static string Milliseconds(TimeSpan value) => ((long)value.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);

    private ConfigException Error(string key, string value, string reason) => new(key, value, SourceFile, null, reason);
}
