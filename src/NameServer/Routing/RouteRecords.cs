using RaftMq.Protocol.Bodies;

namespace RaftMq.NameServer.Routing;

/// <summary>A REGISTER_BROKER request as the route table sees it, detached from the wire.</summary>
/// <param name="Topics">The broker's topic table and its version; null when the request carried no body.</param>
/// <param name="ConnectionId">The remoting connection the registration arrived on: closing it drops the broker.</param>
public sealed record BrokerRegistrationRequest(
    string ClusterName,
    string BrokerName,
    string BrokerAddress,
    long BrokerId,
    string HaServerAddress,
    TopicConfigSerializeWrapper? Topics,
    long ConnectionId,
    long RaftTerm = 0);

/// <summary>What a registering broker learns: where its group's master is (null for the master itself or when
/// the group has none).</summary>
/// <param name="IsNew">True when the address was not registered at this broker id before (first registration, or
/// a role change): worth a log line, unlike the periodic re-registration.</param>
/// <param name="StaleMasterClaim">True when a master (id 0) claim was refused because the group already has a master
/// registered with a higher Raft term; nothing was changed.</param>
/// <param name="UnconfirmedMasterClaim">True when a master claim was refused because no other member of the group
/// reports its Raft term yet; it is applied as soon as one does (or the current master leaves).</param>
public sealed record BrokerRegistrationResult(string? MasterAddress, string? MasterHaServerAddress, bool IsNew,
    bool StaleMasterClaim = false, bool UnconfirmedMasterClaim = false);

/// <summary>Why a broker left the route table.</summary>
public enum BrokerRemovalReason
{
    /// <summary>No registration for longer than the expiry.</summary>
    Expired,

    /// <summary>The connection it registered on closed.</summary>
    ConnectionClosed,

    /// <summary>It sent UNREGISTER_BROKER.</summary>
    Unregistered,
}

/// <summary>A broker address that left the route table, for logging.</summary>
/// <param name="BrokerNameRemoved">True when it was the last address of its broker name, so the name and its
/// queues left every route too.</param>
public sealed record RemovedBroker(
    string ClusterName, string BrokerName, string BrokerAddress, BrokerRemovalReason Reason, bool BrokerNameRemoved);

/// <summary>Answer to QUERY_DATA_VERSION: whether the broker's topic table differs from the one registered.</summary>
/// <param name="Stored">The version the name server holds for that address, or null when it holds none.</param>
public sealed record DataVersionQueryResult(bool Changed, DataVersion? Stored);
