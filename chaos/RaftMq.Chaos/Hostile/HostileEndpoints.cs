namespace RaftMq.Chaos.Hostile;

/// <summary>One node's listening ports: the client-facing remoting port and the real Raft port (not a proxy).</summary>
public sealed record NodeEndpoints(string Node, int BrokerPort, int RaftPort);

/// <summary>Every port a hostile client can reach, the names a forged registration claims (the broker name is also
/// the Raft group), and the workload's topic (poison sends aim at it: the broker must refuse them).</summary>
public sealed record HostileEndpoints(
    string ClusterName,
    string BrokerName,
    string Topic,
    int NameServerPort,
    IReadOnlyList<NodeEndpoints> Nodes);
