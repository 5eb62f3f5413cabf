using RaftMq.Consensus.Core;
using RaftMq.Consensus.Runtime;

namespace RaftMq.Broker.Processors.Admin;

/// <summary>
/// The slice of the consensus node the admin processor may use: who this node is, its Raft role, and a leadership
/// hand-over. Deliberately not the whole node (no appends, no reads).
/// </summary>
public interface ILeadershipControl
{
    string SelfId { get; }

    SoftState State { get; }

    /// <summary>Asks this node, if leader, to hand leadership to <paramref name="targetId"/>; false when it is not leader.</summary>
    bool TransferLeadership(string targetId);

    /// <summary>This node's view of its Raft group, for brokerStatus and raftStatus; null when unknown.</summary>
    RaftMemberStatus? Status => null;

    /// <summary>When this node last saw its group's leader change (a new leader id); null when it has seen none.</summary>
    DateTimeOffset? LastLeaderChange => null;
}

/// <summary>Request codes of RaftMq's own, outside every range RocketMQ 4.x and 5.x use (they stop below 4000).</summary>
public static class RaftMqRequestCode
{
    /// <summary>
    /// Admin: hand Raft leadership of this broker group to another member. extField <c>targetId</c> = its
    /// <c>dLegerSelfId</c>. Send it to the current leader; a follower answers SERVICE_NOT_AVAILABLE naming the leader.
    /// Success means the hand-over started, not that it finished: watch the route (brokerId 0) change.
    /// </summary>
    public const int TransferLeadership = 9001;

    /// <summary>Admin: this node's view of its Raft group (role, term, commit/applied/last index, each peer's match
    /// index and lag on the leader, last contact). Body: <see cref="Protocol.Bodies.RaftStatusBody"/> JSON. Any member
    /// answers, so a group can be inspected without a leader.</summary>
    public const int GetRaftStatus = 9002;
}
