namespace RaftMq.Protocol.Headers;

/// <summary>
/// extFields RaftMq adds to RocketMQ frames. Stock clients ignore unknown fields; the RaftMq .NET client reads
/// <see cref="LeaderAddress"/>.
/// </summary>
public static class RaftMqExtFields
{
    /// <summary>On a request a follower forwards to its leader: the follower's address. A request carrying it is never
    /// forwarded again, so two nodes with stale views cannot bounce a request between them.</summary>
    public const string ForwardedBy = "raftmqForwardedBy";

    /// <summary>On a response a follower relayed from its leader: the leader's client address. The client's route for
    /// the broker group is stale; the RaftMq .NET client refreshes it at once.</summary>
    public const string LeaderAddress = "raftmqLeaderAddr";
}
