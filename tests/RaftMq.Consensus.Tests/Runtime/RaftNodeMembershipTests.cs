using RaftMq.Consensus.Core;
using RaftMq.Consensus.Runtime;
using RaftMq.Consensus.Tests.Transport;

namespace RaftMq.Consensus.Tests.Runtime;

/// <summary>Configuration changes through real nodes and sockets: links open and close with the configuration.</summary>
public sealed class RaftNodeMembershipTests
{
    private static readonly TimeSpan CommitWait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_new_node_joins_as_a_learner_is_promoted_and_a_removed_leader_hands_over()
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
        var joined = await group.Start("n3", group.OptionsFor("n3", group.PeersText + $";n3-{address}"), new RecordingStateMachine());

        await group.WaitUntil(() => leader.Membership.IsVoter("n3") && joined.Membership.IsVoter("n3"), "n3 was promoted to voter");
        await group.AppendCommitted("after-join");
        await group.WaitUntil(() => group.StateMachines["n3"].Payloads.Contains("after-join"), "n3 applies new entries");
        Assert.Contains("before-0", group.StateMachines["n3"].Payloads);
        var status = leader.GetStatus();
        Assert.Contains(status.Peers, peer => peer.Id == "n3" && !peer.IsLearner && peer.Address == address);

        // Remove the leader itself: it leads until the change commits (the others still answer it), then steps down.
        string gone = "";
        var removed = await ChangeOnLeader(group, leading => new MembershipRequest(MembershipOperation.Remove, gone = leading.SelfId));
        Assert.True(removed.Committed, removed.Error);
        var remaining = group.Running.Where(node => node.SelfId != gone).ToList();
        var newLeader = await group.WaitForLeader(remaining);
        Assert.NotEqual(gone, newLeader.SelfId);
        await group.AppendCommitted("after-remove");
        await group.WaitUntil(() => remaining.All(node => group.StateMachines[node.SelfId].Payloads.Contains("after-remove")), "the remaining members apply");
        Assert.All(remaining, node => Assert.False(node.Membership.Contains(gone)));
        Assert.Equal(3, newLeader.Membership.Voters.Count);
    }

    [Fact]
    public async Task A_member_moved_with_its_data_to_a_new_address_is_dialed_there_and_keeps_up()
    {
        await using var group = new NodeGroup();
        await group.StartAll();
        await group.AppendCommitted("before-move");
        var leader = await group.WaitForLeader();
        string moving = group.Ids.First(id => id != leader.SelfId);
        await group.Stop(moving);

        // docs/operations/membership.md: addPeer its id with the new address, start it there with its store and its own
        // dLegerPeers entry changed. It has not seen that configuration: the others dial its new address, and it accepts
        // them although their dLegerPeers still list its old one.
        string address = $"127.0.0.1:{FreePorts.Take(1)[0]}";
        var moved = await leader.ChangeMembershipAsync(new MembershipRequest(MembershipOperation.AddVoter, moving, address), CommitWait);
        Assert.True(moved.Committed, moved.Error);
        string peers = string.Join(';', group.PeersText.Split(';').Select(peer => peer.StartsWith(moving + "-", StringComparison.Ordinal) ? $"{moving}-{address}" : peer));
        var node = await group.Start(moving, group.OptionsFor(moving, peers), new RecordingStateMachine());

        await group.AppendCommitted("after-move");
        await group.WaitUntil(() => group.StateMachines[moving].Payloads.Contains("after-move"), $"{moving} applies entries at {address}");
        Assert.Equal(address, node.Membership.Find(moving)?.Address);
    }

    [Fact]
    public async Task A_node_whose_log_has_no_configuration_entry_learns_the_one_committed_while_it_was_down()
    {
        await using var group = new NodeGroup();
        await group.StartAll();
        for (int i = 0; i < 3; i++) await group.AppendCommitted($"before-{i}");
        var leader = await group.WaitForLeader();
        string late = group.Ids.First(id => id != leader.SelfId);
        await group.Stop(late);

        // While it is down the group adds n3, and the operator lists n3 in the other members' confs and restarts them.
        string address = $"127.0.0.1:{FreePorts.Take(1)[0]}";
        var added = await leader.ChangeMembershipAsync(new MembershipRequest(MembershipOperation.AddVoter, "n3", address), CommitWait);
        Assert.True(added.Committed, added.Error);
        string grown = group.PeersText + $";n3-{address}";
        await group.Start("n3", group.OptionsFor("n3", grown), new RecordingStateMachine());
        foreach (string id in group.Ids.Where(id => id != late))
        {
            await group.Stop(id);
            await group.Start(id, group.OptionsFor(id, grown), new RecordingStateMachine());
        }
        await group.AppendCommitted("while-late-is-down");

        // It comes back with its old conf: the members following the configuration are accepted, it learns it.
        var node = await group.Start(late, group.OptionsFor(late, group.PeersText), new RecordingStateMachine());
        await group.AppendCommitted("after-return");
        await group.WaitUntil(() => group.StateMachines[late].Payloads.Contains("after-return"), $"{late} applies new entries");
        Assert.True(node.Membership.IsVoter("n3"));
        Assert.True(node.GetStatus().MembershipIndex > 0);
        var current = await group.WaitForLeader();
        await group.WaitUntil(() => node.CommitIndex == current.CommitIndex, $"{late} reaches the leader's commit index");
    }

    /// <summary>Proposes on the current leader, retrying while another change (the promotion of a learner) is in flight,
    /// as an operator retries a refused command.</summary>
    private static async Task<MembershipChangeOutcome> ChangeOnLeader(NodeGroup group, Func<RaftNode, MembershipRequest> requestOf)
    {
        var deadline = DateTime.UtcNow + NodeGroup.Deadline;
        while (true)
        {
            var leader = await group.WaitForLeader();
            var request = requestOf(leader);
            var outcome = await leader.ChangeMembershipAsync(request, CommitWait);
            bool retry = outcome.Result is MembershipChangeResult.ChangeInProgress or MembershipChangeResult.NotLeader or MembershipChangeResult.Transferring;
            if (!retry) return outcome;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{request.Operation} {request.PeerId} was not accepted: {outcome.Error}");
            await Task.Delay(20);
        }
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
