using RaftMq.Consensus.Core;

namespace RaftMq.Consensus.Tests.Core;

public sealed class LeadershipTransferTests
{
    [Fact]
    public void Transfer_hands_leadership_to_the_target_and_refuses_proposals_meanwhile()
    {
        var cluster = new TestCluster(3).Start();
        cluster.Elect("n1");
        long term = cluster["n1"].State.Term;
        Func<Message, bool> slow = cluster.Isolate("n2"); // the target is behind when the transfer starts
        cluster.Propose("n1", "before");
        cluster.DeliverAll();

        Assert.True(cluster["n1"].Core!.TransferLeadership("n2"));
        Assert.Equal(ProposeResult.Transferring, cluster.Propose("n1", "during"));
        cluster.Heal(slow);
        cluster.TickAll(8); // the lost Append is re-sent after half an election timeout, then TimeoutNow

        Assert.Equal(RaftRole.Leader, cluster["n2"].State.Role);
        Assert.Equal(term + 1, cluster["n2"].State.Term);
        Assert.Equal(RaftRole.Follower, cluster["n1"].State.Role);
        Assert.Contains(cluster.Delivered, m => m.Type == MessageType.Vote && m.Transfer);
        Assert.DoesNotContain(cluster.Delivered, m => m.Type == MessageType.PreVote && m.From == "n2");
        cluster.TickAll(2);
        Assert.All(cluster.Nodes, node => Assert.Equal(new[] { "before" }, node.AppliedPayloads));
    }

    [Fact]
    public void Transfer_aborts_after_one_election_timeout_and_the_leader_resumes()
    {
        var cluster = new TestCluster(3).Start();
        cluster.Elect("n1");
        long term = cluster["n1"].State.Term;
        cluster.Drop(m => m.Type == MessageType.TimeoutNow);

        Assert.True(cluster["n1"].Core!.TransferLeadership("n3"));
        cluster.TickAll(5);
        Assert.Equal(ProposeResult.Transferring, cluster.Propose("n1", "too-early"));
        cluster.TickAll(6);

        Assert.Null(cluster["n1"].Core!.TransferTargetForTesting);
        Assert.Equal(RaftRole.Leader, cluster["n1"].State.Role);
        Assert.Equal(term, cluster["n1"].State.Term);
        Assert.Equal(ProposeResult.Accepted, cluster.Propose("n1", "after"));
        cluster.TickAll(2);
        Assert.Contains("after", cluster["n3"].AppliedPayloads);
    }

    [Fact]
    public void Transfer_is_refused_by_a_follower_and_for_unknown_targets()
    {
        var cluster = new TestCluster(3).Start();
        cluster.Elect("n1");

        Assert.False(cluster["n2"].Core!.TransferLeadership("n3"));
        Assert.False(cluster["n1"].Core!.TransferLeadership("n9"));
    }

    [Fact]
    public void Leader_hands_over_to_the_preferred_node_once_it_is_caught_up()
    {
        var cluster = new TestCluster(3, (_, o) => o with { PreferredLeaderId = "n3" }).Start();
        cluster.Elect("n1");
        cluster.Propose("n1", "x");

        cluster.TickAll(5);

        Assert.Equal("n3", cluster.Leader?.Id);
        Assert.All(cluster.Nodes, node => Assert.Equal(new[] { "x" }, node.AppliedPayloads));
    }

    [Fact]
    public void Preferred_leader_handover_does_not_flap_when_the_preferred_node_cannot_take_over()
    {
        // n3 is preferred but refuses to lead (say its log is corrupt): every handover aborts.
        var cluster = new TestCluster(3, (id, o) => o with { PreferredLeaderId = "n3", RefuseToLead = id == "n3" }).Start();
        cluster.Elect("n1");

        cluster.TickAll(200); // twenty election timeouts

        int handovers = cluster.Sent.Count(m => m.Type == MessageType.TimeoutNow);
        Assert.InRange(handovers, 1, 4); // one attempt per (abort + five election timeouts of back-off)
        Assert.Equal("n1", cluster.Leader?.Id);
        Assert.Equal(ProposeResult.Accepted, cluster.Propose("n1", "still-writable"));
    }
}
