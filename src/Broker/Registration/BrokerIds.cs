namespace RaftMq.Broker.Registration;

/// <summary>The broker id a node announces to name servers, as RocketMQ-on-DLedger does.</summary>
public static class BrokerIds
{
    /// <summary>The id clients treat as the master (writable) broker of a group.</summary>
    public const long Master = 0;

    /// <summary>0 for the group leader; otherwise the node's index in dLegerPeers + 1 (n0 -> 1, n1 -> 2, ...), so
    /// followers never collide with the master or with each other.</summary>
    public static long ForRole(bool isLeader, int selfIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(selfIndex);
        return isLeader ? Master : selfIndex + 1L;
    }
}
