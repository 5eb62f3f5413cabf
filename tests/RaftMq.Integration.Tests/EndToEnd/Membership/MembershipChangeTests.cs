using RaftMq.Cli.Processes;
using RaftMq.Client.Admin;
using RaftMq.Protocol.Bodies;
using Xunit.Abstractions;
using static RaftMq.Integration.Tests.EndToEnd.Membership.MembershipCluster;

namespace RaftMq.Integration.Tests.EndToEnd.Membership;

/// <summary>
/// docs/operations/membership.md's procedures with real processes, each under a producer and a consumer: grow 3 -> 5
/// and shrink back (the leader removed), replace a SIGKILLed node, move a node to a new address. Each checks that
/// every acknowledged message is consumed, that every member's raftStatus shows the expected voters and that the
/// name server routes to exactly the members, with the leader as master.
/// </summary>
[Collection(MembershipCollection.Name)]
public sealed class MembershipChangeTests(MembershipCluster cluster, ITestOutputHelper output) : IClassFixture<MembershipCluster>
{
    /// <summary>How close a learner must be before it is promoted by hand (the leader's own rule for auto-promotion).</summary>
    private const long CaughtUpLag = 64;

    [Fact]
    public async Task Growing_to_five_through_learners_and_shrinking_to_three_without_the_leader_loses_no_acknowledged_message()
    {
        await using var workload = await MembershipWorkload.StartAsync(cluster, "MemberGrowShrink");
        await workload.WaitForAcknowledgedAsync(100);

        // n+1 joins as a learner that the operator promotes once raftStatus shows it caught up.
        var learner = cluster.NewNode();
        await cluster.ChangeAsync(AdminRequestCodes.AddPeer, learner, status => IsMember(status, learner.Id), learner: true);
        await cluster.StartAsync(learner, [.. cluster.Members, learner]);
        await WaitForLeaderViewAsync(status => IsCaughtUpLearner(status, learner.Id, CaughtUpLag), $"{learner.Id} to catch up as a learner");
        await cluster.ChangeAsync(AdminRequestCodes.PromotePeer, learner, status => IsVoter(status, learner.Id));
        cluster.SetMembers([.. cluster.Members, learner]);

        // n+2 joins as a voter-to-be: the leader promotes it by itself once it has caught up.
        var voter = cluster.NewNode();
        await cluster.ChangeAsync(AdminRequestCodes.AddPeer, voter, status => IsMember(status, voter.Id));
        await cluster.StartAsync(voter, [.. cluster.Members, voter]);
        await WaitForLeaderViewAsync(status => IsVoter(status, voter.Id), $"{voter.Id} to be promoted");
        cluster.SetMembers([.. cluster.Members, voter]);
        await workload.WaitForMoreAcknowledgedAsync(100);
        await cluster.WaitForMembershipAndRouteAsync(workload.Topic);

        // Shrink: remove the leader first (it leads until the removal commits, then hands over), then a follower.
        var leader = await cluster.LeaderAsync();
        await cluster.ChangeAsync(AdminRequestCodes.RemovePeer, leader, status => !IsMember(status, leader.Id));
        await cluster.StopAsync(leader);
        var follower = cluster.Members.First(member => member != leader && member != voter);
        await cluster.ChangeAsync(AdminRequestCodes.RemovePeer, follower, status => !IsMember(status, follower.Id));
        await cluster.StopAsync(follower);
        cluster.SetMembers(cluster.Members.Where(member => member != leader && member != follower));
        await workload.WaitForMoreAcknowledgedAsync(100);
        await cluster.WaitForMembershipAndRouteAsync(workload.Topic);

        await workload.StopAndAssertNothingLostAsync(output);
    }

    [Fact]
    public async Task Replacing_a_SIGKILLed_leader_with_a_fresh_node_on_a_new_port_loses_no_acknowledged_message()
    {
        await using var workload = await MembershipWorkload.StartAsync(cluster, "MemberReplace");
        await workload.WaitForAcknowledgedAsync(100);

        var dead = await cluster.LeaderAsync();
        await cluster.KillAsync(dead);

        // The procedure of membership.md: a new id and an empty store on a new port, dLegerPeers = the current members
        // (the dead one included) plus itself; addPeer, start, wait until it is a voter, then removePeer the dead node.
        var fresh = cluster.NewNode();
        await cluster.ChangeAsync(AdminRequestCodes.AddPeer, fresh, status => IsMember(status, fresh.Id));
        await cluster.StartAsync(fresh, [.. cluster.Members, fresh]);
        await WaitForLeaderViewAsync(status => IsVoter(status, fresh.Id), $"{fresh.Id} to be promoted");
        await cluster.ChangeAsync(AdminRequestCodes.RemovePeer, dead, status => !IsMember(status, dead.Id));
        cluster.SetMembers([.. cluster.Members.Where(member => member != dead), fresh]);
        await workload.WaitForMoreAcknowledgedAsync(100);
        await cluster.WaitForMembershipAndRouteAsync(workload.Topic);

        await workload.StopAndAssertNothingLostAsync(output);
    }

    [Fact]
    public async Task Moving_a_node_with_its_data_to_a_new_address_loses_no_acknowledged_message()
    {
        await using var workload = await MembershipWorkload.StartAsync(cluster, "MemberMove");
        await workload.WaitForAcknowledgedAsync(100);

        // membership.md: stop the node, addPeer its id with the new address (a move), start it there with its store
        // and its own dLegerPeers entry changed.
        var leader = await cluster.LeaderAsync();
        var node = cluster.Members.First(member => member != leader);
        await cluster.StopAsync(node);
        var moved = Moved(node);
        await cluster.ChangeAsync(AdminRequestCodes.AddPeer, moved,
            status => status.Peers.Any(peer => peer.Id == moved.Id && peer.Address == moved.RaftAddress));
        var members = cluster.Members.Select(member => member == node ? moved : member).ToList();
        await cluster.StartAsync(moved, members);
        cluster.SetMembers(members);
        await workload.WaitForMoreAcknowledgedAsync(100);
        await cluster.WaitForMembershipAndRouteAsync(workload.Topic);
        await WaitForLeaderViewAsync(status => status.Peers.Any(peer => peer.Id == moved.Id && peer.MatchLag is >= 0 and <= CaughtUpLag),
            $"{moved.Id} to catch up at {moved.RaftAddress}");

        await workload.StopAndAssertNothingLostAsync(output);
    }

    private Task WaitForLeaderViewAsync(Func<RaftStatusBody, bool> condition, string what) =>
        Poll.UntilTrueAsync(async token => await cluster.LeaderStatusAsync(token) is { } status && condition(status),
            MembershipCluster.Deadline, TimeSpan.FromMilliseconds(200), what, CancellationToken.None);
}

/// <summary>Runs alone, after the parallel collections: its five broker processes under load would otherwise starve the
/// clusters of tests that assert that no send fails (LeaderChangeTests) on a two-core machine.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MembershipCollection
{
    public const string Name = "raftmq membership changes";
}
