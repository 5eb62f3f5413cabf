using RaftMq.Consensus.Core;

namespace RaftMq.Consensus.Tests.Core;

public sealed class MembershipTests
{
    /// <summary>A 3-voter group led by n1 with an entry of n1's term committed (so it may change its configuration).</summary>
    private static TestCluster LedByN1()
    {
        var cluster = new TestCluster(3).Start();
        cluster.Elect("n1");
        cluster.TickAll(2);
        return cluster;
    }

    private static MembershipChangeResult Change(TestCluster cluster, string leader, Func<Membership, Membership> change)
    {
        MembershipChangeResult result = cluster.ProposeMembership(leader, change);
        cluster.DeliverAll();
        return result;
    }

    [Fact]
    public void Learner_replicates_and_applies_but_never_counts_toward_commit()
    {
        TestCluster cluster = LedByN1();
        cluster.AddNode("n4");
        Assert.Equal(MembershipChangeResult.Accepted, Change(cluster, "n1", m => m.AddLearner("n4", "", promoteWhenCaughtUp: false)));
        cluster.TickAll(3);
        Assert.True(cluster["n4"].Core!.Membership.IsLearner("n4"));

        Func<Message, bool> cut2 = cluster.Isolate("n2");
        Func<Message, bool> cut3 = cluster.Isolate("n3");
        cluster.Propose("n1", "only-leader-and-learner");
        cluster.TickAll(3);

        Assert.Equal(cluster["n1"].Core!.LastIndex, cluster["n4"].Log.LastIndex); // the learner holds it ...
        Assert.DoesNotContain("only-leader-and-learner", cluster["n1"].AppliedPayloads); // ... but it is not committed
        cluster.Heal(cut2);
        cluster.Heal(cut3);
        cluster.TickAll(3);
        Assert.All(cluster.Nodes, node => Assert.Contains("only-leader-and-learner", node.AppliedPayloads));
    }

    [Fact]
    public void A_configuration_takes_effect_when_appended_not_when_committed()
    {
        TestCluster cluster = LedByN1();
        cluster.Drop(m => m.Type == MessageType.AppendResponse); // nothing commits

        Assert.Equal(MembershipChangeResult.Accepted, Change(cluster, "n1", m => m.AddLearner("n4", "host:4", false)));

        foreach (string id in new[] { "n1", "n2", "n3" })
        {
            Assert.True(cluster[id].Core!.Membership.IsLearner("n4"), id);
            Assert.True(cluster[id].Core!.MembershipIndex > cluster[id].Core!.CommitIndex, id);
        }
    }

    [Fact]
    public void Only_one_change_is_in_flight_and_a_new_leader_waits_for_an_entry_of_its_term()
    {
        var cluster = new TestCluster(3).Start();
        cluster.Drop(m => m.Type == MessageType.AppendResponse);
        cluster.Elect("n1");
        RaftCore leader = cluster["n1"].Core!;
        Assert.Equal(MembershipChangeResult.ChangeInProgress, leader.ProposeMembership(leader.Membership.AddLearner("n4", "", false)));

        cluster.HealAll();
        cluster.TickAll(2);
        Assert.Equal(MembershipChangeResult.Invalid, leader.ProposeMembership(leader.Membership.Remove("n2").Remove("n3")));
        cluster.Drop(m => m.Type == MessageType.AppendResponse);
        Assert.Equal(MembershipChangeResult.Accepted, leader.ProposeMembership(leader.Membership.AddLearner("n4", "", false)));
        Assert.Equal(MembershipChangeResult.ChangeInProgress, leader.ProposeMembership(leader.Membership.AddLearner("n5", "", false)));
        Assert.Equal(MembershipChangeResult.NotLeader, cluster["n2"].Core!.ProposeMembership(leader.Membership));
    }

    [Fact]
    public void A_removed_leader_steps_down_once_its_removal_commits_and_the_others_elect_a_leader()
    {
        TestCluster cluster = LedByN1();

        Assert.Equal(MembershipChangeResult.Accepted, Change(cluster, "n1", m => m.Remove("n1")));
        cluster.TickAll(30);

        Assert.NotEqual(RaftRole.Leader, cluster["n1"].State.Role);
        Assert.False(cluster["n1"].Core!.IsVoter);
        TestNode leader = Assert.Single(new[] { cluster["n2"], cluster["n3"] }, n => n.State.Role == RaftRole.Leader);
        Assert.Equal(ProposeResult.Accepted, cluster.Propose(leader.Id, "after-removal"));
        cluster.TickAll(3);
        Assert.Contains("after-removal", cluster["n2"].AppliedPayloads);
        Assert.Contains("after-removal", cluster["n3"].AppliedPayloads);
        // The removed node no longer campaigns: its term stays where the group left it.
        long term = cluster["n1"].State.Term;
        cluster.Tick("n1", 50);
        Assert.Equal(term, cluster["n1"].State.Term);
    }

    [Fact]
    public void A_learner_never_campaigns_nor_takes_a_transfer()
    {
        TestCluster cluster = LedByN1();
        cluster.AddNode("n4");
        Change(cluster, "n1", m => m.AddLearner("n4", "", false));
        cluster.TickAll(3);

        Assert.False(cluster["n1"].Core!.TransferLeadership("n4"));
        cluster.Crash("n1");
        cluster.Tick("n4", 60);
        cluster.DeliverAll();
        Assert.Equal(RaftRole.Follower, cluster["n4"].State.Role);
        Assert.DoesNotContain(cluster.Sent, m => m.From == "n4" && m.Type is MessageType.PreVote or MessageType.Vote);
    }

    [Fact]
    public void Votes_of_learners_do_not_count()
    {
        TestCluster cluster = LedByN1();
        foreach (string id in new[] { "n4", "n5" })
        {
            cluster.AddNode(id);
            Change(cluster, "n1", m => m.AddLearner(id, "", false));
            cluster.TickAll(3);
        }
        // n1 loses both other voters: with the two learners it would have 3 of 5 members, but 1 of 3 voters.
        cluster.Isolate("n2");
        cluster.Isolate("n3");
        cluster.TickAll(25);

        Assert.NotEqual(RaftRole.Leader, cluster["n1"].State.Role);
        Assert.DoesNotContain(cluster.Sent, m => m.Type is MessageType.PreVote or MessageType.Vote && m.To is "n4" or "n5");
    }

    [Fact]
    public void A_learner_marked_for_promotion_becomes_a_voter_once_caught_up()
    {
        TestCluster cluster = LedByN1();
        for (int i = 0; i < 20; i++) cluster.Propose("n1", "m" + i);
        cluster.TickAll(2);
        cluster.AddNode("n4");

        Change(cluster, "n1", m => m.AddLearner("n4", "", promoteWhenCaughtUp: true));
        cluster.TickAll(6);

        Assert.True(cluster["n1"].Core!.Membership.IsVoter("n4"));
        Assert.True(cluster["n4"].Core!.IsVoter);
        Assert.Equal(4, cluster["n1"].Core!.Membership.Voters.Count);
    }

    [Fact]
    public void Truncating_an_uncommitted_configuration_reverts_to_the_previous_one()
    {
        TestCluster cluster = LedByN1();
        Func<Message, bool> cut = cluster.Isolate("n1");
        Assert.Equal(MembershipChangeResult.Accepted, Change(cluster, "n1", m => m.AddLearner("n4", "", false)));
        Assert.True(cluster["n1"].Core!.Membership.IsLearner("n4"));

        cluster.TickAll(30); // n2 and n3 elect a leader without n1; n1 steps down (check-quorum)
        TestNode leader = Assert.Single(new[] { cluster["n2"], cluster["n3"] }, n => n.State.Role == RaftRole.Leader);
        cluster.Heal(cut);
        cluster.TickAll(5);

        Assert.Equal(RaftRole.Follower, cluster["n1"].State.Role);
        Assert.False(cluster["n1"].Core!.Membership.Contains("n4"));
        Assert.Equal(leader.Core!.Membership, cluster["n1"].Core!.Membership);
    }

    [Fact]
    public void A_restarted_node_rebuilds_its_configuration_from_the_snapshot_and_the_log()
    {
        TestCluster cluster = LedByN1();
        cluster.AddNode("n4");
        Change(cluster, "n1", m => m.AddLearner("n4", "h4:1", false));
        cluster.TickAll(3);
        long compactAt = cluster["n2"].Core!.CommitIndex;
        Membership atCompaction = cluster["n2"].Core!.MembershipAt(compactAt);
        cluster["n2"].Log.Compact(compactAt, new byte[] { 1 }, atCompaction);
        Change(cluster, "n1", m => m.Promote("n4"));
        cluster.TickAll(3);
        Membership expected = cluster["n1"].Core!.Membership;

        cluster.Crash("n2");
        cluster.Restart("n2");

        Assert.Equal(expected, cluster["n2"].Core!.Membership);
        Assert.True(expected.IsVoter("n4"));
    }

    [Fact]
    public void A_new_member_behind_the_first_index_gets_the_configuration_with_the_snapshot()
    {
        TestCluster cluster = LedByN1();
        Change(cluster, "n1", m => m.AddLearner("n9", "gone:1", false));
        Change(cluster, "n1", m => m.Remove("n9"));
        for (int i = 0; i < 10; i++) cluster.Propose("n1", "m" + i);
        cluster.TickAll(3);
        long commit = cluster["n1"].Core!.CommitIndex;
        foreach (string id in cluster.Ids) cluster[id].Log.Compact(commit, new byte[] { 1 }, cluster[id].Core!.MembershipAt(commit));

        cluster.AddNode("n4");
        Change(cluster, "n1", m => m.AddLearner("n4", "h4:1", false));
        cluster.TickAll(4);

        TestNode joined = cluster["n4"];
        Assert.Single(joined.SnapshotsInstalled);
        Assert.Equal(cluster["n1"].Core!.Membership, joined.Core!.Membership);
        cluster.Crash("n4");
        cluster.Restart("n4");
        Assert.Equal(cluster["n1"].Core!.Membership, joined.Core!.Membership);
    }

    [Fact]
    public void Membership_encoding_round_trips_and_rejects_garbage()
    {
        var membership = new Membership([new Member("n0", "10.0.0.1:40911"), new Member("n1", "")], [new Member("n3", "h:1", true)]);

        Membership decoded = Membership.Decode(membership.Encode());

        Assert.Equal(membership, decoded);
        Assert.True(decoded.Learners[0].PromoteWhenCaughtUp);
        Assert.Throws<FormatException>(() => Membership.Decode(membership.Encode().AsSpan(0, 7)));
        Assert.Throws<FormatException>(() => Membership.Decode([9, 0, 0]));
        Assert.NotNull(new Membership([], []).Problem());
        Assert.NotNull(membership.AddLearner("n0", "", false).Problem());
        Assert.Equal(2, membership.VoterDifference(membership.Promote("n3").Remove("n0")));
    }
}
