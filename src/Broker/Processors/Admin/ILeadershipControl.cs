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

    /// <summary>Proposes a change of the group's configuration on this node (the leader) and waits up to
    /// <paramref name="timeout"/> for it to commit; null when the log has no replicated configuration.</summary>
    Task<MembershipChangeOutcome>? ChangeMembershipAsync(MembershipRequest request, TimeSpan timeout, CancellationToken ct) => null;
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

    /// <summary>Admin: add a member to this broker group's Raft group (send it to the leader). extFields <c>peerId</c>,
    /// <c>address</c> (its dLegerPeers host:port) and <c>learner</c> (true: stays a learner; false: promoted to voter
    /// once caught up). An existing member with a new address is moved there. Answers once the change committed.</summary>
    public const int AddPeer = 9003;

    /// <summary>Admin: remove a member (voter or learner; the leader too, which steps down). extField <c>peerId</c>.</summary>
    public const int RemovePeer = 9004;

    /// <summary>Admin: promote a learner to voter. extField <c>peerId</c>.</summary>
    public const int PromotePeer = 9005;
}
