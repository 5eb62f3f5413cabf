using System.Globalization;
using RaftMq.Protocol.Acl;
using RaftMq.Protocol.Tls;

namespace RaftMq.Client;

/// <summary>
/// Settings every RaftMq client shares: where the name servers are and how often routes and heartbeats are
/// refreshed. Producers, consumers and the admin client with the same name server list and
/// <see cref="InstanceName"/> share one underlying client instance (connections, routes, heartbeats); the first one
/// started decides its intervals.
/// </summary>
public record ClientOptions
{
    /// <summary>Name server addresses ("host:port"); at least one.</summary>
    public IReadOnlyList<string> NameServerAddresses { get; init; } = [];

    /// <summary>
    /// Part of the client id (<c>ip@instanceName</c>). Two consumers of one group in the same process need different
    /// instance names to count as two consumers. Defaults to the process id.
    /// </summary>
    public string InstanceName { get; init; } = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);

    /// <summary>IP address announced in the client id; defaults to the first non-loopback IPv4 address.</summary>
    public string? ClientIp { get; init; }

    /// <summary>How often topic routes are re-read from the name server (besides on-demand refreshes).</summary>
    public TimeSpan RouteRefreshInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often heartbeats go to every broker of the topics in use.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Timeout of administrative and bookkeeping requests (routes, offsets, heartbeats, locks).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Plain-ACL keys: when set, every request is signed (AccessKey, Signature) as RocketMQ's AclClientRPCHook does.
    /// <see cref="AclCredentials.Resolve"/> reads them from RAFTMQ_ACCESS_KEY / RAFTMQ_SECRET_KEY.
    /// </summary>
    public AclCredentials? Credentials { get; init; }

    /// <summary>
    /// TLS to name servers and brokers (servers with tlsMode permissive or enforcing): on when set. The server's
    /// certificate is checked against <see cref="ClientTlsOptions.CaFile"/> (else the system's trust store) and the
    /// host of the address. <see cref="ClientTlsOptions.Resolve"/> reads the RAFTMQ_TLS* environment variables.
    /// </summary>
    public ClientTlsOptions? Tls { get; init; }

    /// <summary>Validates the settings; the exception names the offending key and value.</summary>
    public virtual void Validate()
    {
        Require(NameServerAddresses is { Count: > 0 }, nameof(NameServerAddresses), "[]", "at least one \"host:port\"");
        foreach (string address in NameServerAddresses)
        {
            int colon = address?.LastIndexOf(':') ?? -1;
            Require(colon > 0 && int.TryParse(address.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out _),
                nameof(NameServerAddresses), address ?? "null", "\"host:port\"");
        }
        Require(!string.IsNullOrWhiteSpace(InstanceName) && !InstanceName.Contains('@'), nameof(InstanceName), InstanceName, "non-empty without '@'");
        RequirePositive(RouteRefreshInterval, nameof(RouteRefreshInterval));
        RequirePositive(HeartbeatInterval, nameof(HeartbeatInterval));
        RequirePositive(RequestTimeout, nameof(RequestTimeout));
    }

    /// <summary>Throws when <paramref name="condition"/> is false, naming the key, value and expectation.</summary>
    protected static void Require(bool condition, string key, object? value, string expectation)
    {
        if (!condition)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Client option {key} = {value} must be {expectation}."), key);
        }
    }

    /// <summary>Throws unless <paramref name="topic"/> is null or a legal topic name (letters, digits, %, -, _, |).</summary>
    protected static void RequireTopicNameOrNull(string? topic, string key) =>
        Require(topic is null || (topic.Length is > 0 and <= 127 && topic.All(c => char.IsAsciiLetterOrDigit(c) || c is '%' or '-' or '_' or '|')),
            key, topic, "a topic name of letters, digits, %, -, _ or |");

    /// <summary>Throws unless <paramref name="value"/> is positive.</summary>
    protected static void RequirePositive(TimeSpan value, string key) => Require(value > TimeSpan.Zero, key, value, "positive");
}
