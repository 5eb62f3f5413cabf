using RaftMq.Consensus.Core;
using RaftMq.Consensus.Runtime;
using RaftMq.Consensus.Tests.Transport;

namespace RaftMq.Consensus.Tests.Runtime;

/// <summary>Configuration changes through real nodes and sockets: links open and close with the configuration.</summary>
public sealed class RaftNodeMembershipTests
{
    private static readonly TimeSpan CommitWait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_new_node_joins_as_a_learner_is_promoted_and_a_removed_node_is_left_out()
    {
        await using var group = new NodeGroup();
        await group.StartAll();
        for (int i = 0; i < 5; i++) await group.AppendCommitted($"before-{i}");
        var leader = await group.WaitForLeader();
        int[] extra = FreePorts.Take(1);
        string address = $"127.0.0.1:{extra[0]}";

        // The operator adds n3 (promoted once caught up) and starts it with the peers plus itself in dLegerPeers.
        var added = await leader.ChangeMembershipAsync(new MembershipRequest(MembershipOperation.AddVoter, "n3", address), CommitWait);
        Assert.Equal(MembershipChangeResult.Accepted, added.Result);
        Assert.True(added.Committed);
        var joined = await group.Start("n3", group.OptionsFor("n3", group.PeersText + $";n3-{address}"));

        await group.WaitUntil(() => leader.Membership.IsVoter("n3") && joined.Membership.IsVoter("n3"), "n3 was promoted to voter");
        await group.AppendCommitted("after-join");
        await group.WaitUntil(() => group.StateMachines["n3"].Payloads.Contains("after-join"), "n3 applies new entries");
        Assert.Contains("before-0", group.StateMachines["n3"].Payloads);
        var status = leader.GetStatus();
        Assert.Contains(status.Peers, peer => peer.Id == "n3" && !peer.IsLearner && peer.Address == address);

        // Remove n0 (perhaps the leader): the others carry on without it and n0 no longer hears from them.
        var current = await group.WaitForLeader();
        var removed = await current.ChangeMembershipAsync(new MembershipRequest(MembershipOperation.Remove, "n0"), CommitWait);
        Assert.True(removed.Committed, removed.Error);
        var remaining = group.Running.Where(node => node.SelfId != "n0").ToList();
        var newLeader = await group.WaitForLeader(remaining);
        Assert.NotEqual("n0", newLeader.SelfId);
        await group.AppendCommitted("after-remove");
        await group.WaitUntil(() => remaining.All(node => group.StateMachines[node.SelfId].Payloads.Contains("after-remove")), "the remaining members apply");
        Assert.All(remaining, node => Assert.False(node.Membership.Contains("n0")));
        Assert.Equal(3, newLeader.Membership.Voters.Count);
    }

    [Fact]
    public async Task Invalid_changes_are_refused_with_the_reason()
    {
        await using var group = new NodeGroup();
        await group.StartAll();
        var leader = await group.WaitForLeader();
        await group.AppendCommitted("x");

        var promote = await leader.ChangeMembershipAsync(new MembershipRequest(MembershipOperation.Promote, "n1"), CommitWait);
        var remove = await leader.ChangeMembershipAsync(new MembershipRequest(MembershipOperation.Remove, "n7"), CommitWait);
        var noAddress = await leader.ChangeMembershipAsync(new MembershipRequest(MembershipOperation.AddLearner, "n5"), CommitWait);
        var follower = group.Running.First(node => node != leader);
        var notLeader = await follower.ChangeMembershipAsync(new MembershipRequest(MembershipOperation.AddLearner, "n5", "127.0.0.1:1"), CommitWait);

        Assert.Equal((MembershipChangeResult.Invalid, "n1 is already a voter"), (promote.Result, promote.Error));
        Assert.Equal((MembershipChangeResult.Invalid, "n7 is not a member"), (remove.Result, remove.Error));
        Assert.Equal(MembershipChangeResult.Invalid, noAddress.Result);
        Assert.Equal(MembershipChangeResult.NotLeader, notLeader.Result);
        Assert.Equal(0, leader.GetStatus().MembershipIndex);
    }
}
