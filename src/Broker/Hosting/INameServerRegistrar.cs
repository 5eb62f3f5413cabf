using RaftMq.Broker.Store;
using RaftMq.Protocol.Bodies;

namespace RaftMq.Broker.Hosting;

/// <summary>
/// Keeps this broker registered with every configured name server: periodically, and at once on demand (every role
/// change), so that clients see a failover within a route refresh.
/// </summary>
public interface INameServerRegistrar
{
    Task StartAsync(CancellationToken cancellationToken);

    /// <summary>Registers with every name server now (concurrent demands are coalesced). Never throws for an
    /// unreachable name server; failures are logged and retried on the next period.</summary>
    Task RegisterNowAsync();

    /// <summary>Unregisters from every name server (best effort) and stops the periodic registration.</summary>
    Task StopAsync(CancellationToken cancellationToken);
}

/// <summary>What a registration says about this broker at the moment it is sent.</summary>
/// <param name="BrokerId">0 while this node is the group leader; otherwise the node's index in dLegerPeers + 1.</param>
/// <param name="BrokerAddress">Announced host:listenPort clients connect to.</param>
/// <param name="RaftTerm">The node's Raft term when the registration was built; name servers refuse a master claim
/// older than the master they already know (a leader paused past its own deposition must not displace the new one).</param>
public sealed record BrokerRegistration(string ClusterName, string BrokerName, long BrokerId, string BrokerAddress,
    IReadOnlyCollection<TopicConfig> Topics, long RaftTerm = 0)
{
    /// <summary>RocketMQ's haServerAddr: a classic master's Raft (HA) address, which name servers hand its slaves;
    /// null announces <see cref="BrokerAddress"/> (DLedger groups replicate among themselves).</summary>
    public string? HaServerAddress { get; init; }
}
