using System.Net;
using RaftMq.Protocol.Acl;
using RaftMq.Protocol.Tls;

namespace RaftMq.Dashboard;

/// <summary>
/// Settings of the dashboard: where it listens, which name servers it reads, and how often it asks the cluster.
/// Every interval is bounded by <see cref="Validate"/> so a browser left open cannot make the dashboard poll brokers
/// faster than the documented rates (docs/dashboard.md).
/// </summary>
public sealed record DashboardOptions
{
    public static readonly TimeSpan MinimumInterval = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaximumInterval = TimeSpan.FromMinutes(5);

    /// <summary>Name servers ("host:port"), as <c>-n</c> of the admin tools.</summary>
    public required IReadOnlyList<string> NameServerAddresses { get; init; }

    /// <summary>Plain-ACL keys every request to the cluster is signed with (an admin account: the console creates topics
    /// and resets offsets); null: unsigned.</summary>
    public AclCredentials? Credentials { get; init; }

    /// <summary>TLS towards name servers and brokers; null: plaintext.</summary>
    public ClientTlsOptions? Tls { get; init; }

    /// <summary>Address the web server binds (default loopback: the console changes the cluster and has no login).</summary>
    public IPAddress BindAddress { get; init; } = IPAddress.Loopback;

    /// <summary>HTTP port; 0 picks a free one (tests).</summary>
    public int Port { get; init; } = 8080;

    /// <summary>How often the activity sampler reads broker counters, topic offsets and group offsets (cockpit charts).</summary>
    public TimeSpan SampleInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How often an open cluster page refreshes its node table (one cluster-info round per refresh, cached between browsers).</summary>
    public TimeSpan ClusterRefreshInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How much activity history the cockpit keeps and draws.</summary>
    public TimeSpan History { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Upper bound of topics and of consumer groups the sampler reads per round (the rest are listed but not charted).</summary>
    public int MaxSampledSeries { get; init; } = 64;

    public void Validate()
    {
        if (NameServerAddresses.Count == 0) throw new ArgumentException("at least one name server address is required", nameof(NameServerAddresses));
        if (Port is < 0 or > 65535) throw new ArgumentOutOfRangeException(nameof(Port), Port, "must be 0..65535");
        RequireInterval(SampleInterval, nameof(SampleInterval));
        RequireInterval(ClusterRefreshInterval, nameof(ClusterRefreshInterval));
        if (History < SampleInterval * 2 || History > TimeSpan.FromHours(6))
            throw new ArgumentOutOfRangeException(nameof(History), History, "must hold at least two samples and at most 6 hours");
        if (MaxSampledSeries is < 1 or > 1000) throw new ArgumentOutOfRangeException(nameof(MaxSampledSeries), MaxSampledSeries, "must be 1..1000");
    }

    private static void RequireInterval(TimeSpan value, string name)
    {
        if (value < MinimumInterval || value > MaximumInterval)
            throw new ArgumentOutOfRangeException(name, value, $"must be between {MinimumInterval.TotalSeconds:0} s and {MaximumInterval.TotalMinutes:0} min");
    }
}
