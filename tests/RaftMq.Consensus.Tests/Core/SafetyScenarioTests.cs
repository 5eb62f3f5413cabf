using RaftMq.Consensus.Core;

namespace RaftMq.Consensus.Tests.Core;

/// <summary>Named Raft safety scenarios, scripted step by step.</summary>
public sealed class SafetyScenarioTests
{
    /// <summary>
    /// Raft paper Figure 8: n1 (term 4) replicates its old term-2 entry at index 2 to a majority, but its own
    /// term-4 NOOP does not get through. That entry must not count as committed: n5 (whose index 2 is from term 3)
    /// can still win and overwrite it, and does so safely.
    /// </summary>
    [Theory]
    [InlineData(PlantedBugs.None, false)]
    [InlineData(PlantedBugs.CommitOldTermByCounting, true)]
    internal void Figure_8_old_term_entry_on_a_majority_is_not_committed_by_counting(PlantedBugs bugs, bool expectWrongCommit)
    {
        // One entry per Append, so the old entry and the new leader's NOOP travel separately.
        var cluster = new TestCluster(5, (_, o) => o with { MaxAppendBytes = 1, MaxInflightAppends = 1 }, bugs);
        cluster.Preload("n1", 3, 1, 2);
        cluster.Preload("n2", 3, 1, 2);
        cluster.Preload("n3", 3, 1);
        cluster.Preload("n4", 3, 1);
        cluster.Preload("n5", 3, 1, 3);
        cluster.Start();
        // n5 is cut off from n1 (as in the paper); the NOOP (index 3) never lands on a node that holds index 2.
        cluster.Drop(m => m.From == "n1" && m.To == "n5");
        cluster.Drop(m => m.From == "n1" && m.Type == MessageType.Append && m.Entries.Any(e => e.Index == 3)
            && cluster[m.To].Log.LastIndex >= 2);

        cluster.Elect("n1");
        Assert.Equal(4, cluster["n1"].State.Term);
        Assert.All(new[] { "n3", "n4" }, id => Assert.Equal(2, cluster[id].Log.TermAt(2)));

        bool committedOldEntry = cluster["n1"].Core!.CommitIndex >= 2;
        Assert.Equal(expectWrongCommit, committedOldEntry);
        if (expectWrongCommit) return; // the planted bug is visible right here

        cluster.Crash("n1");
        cluster.HealAll();
        cluster.Elect("n5");
        cluster.TickAll(3);

        Assert.Equal(5, cluster["n5"].State.Term);
        foreach (string id in new[] { "n2", "n3", "n4", "n5" })
        {
            Assert.Equal(3, cluster[id].Log.TermAt(2));
            Assert.DoesNotContain(cluster[id].Applied, e => e.Index == 2 && e.Term == 2);
        }
    }

    /// <summary>
    /// DLedger #52 / RocketMQ #2178: after a full-group restart the stale node starts first and campaigns at once;
    /// it must not win (its log is behind) and so cannot truncate committed entries on the others.
    /// </summary>
    [Fact]
    public void Stale_node_after_a_full_group_restart_cannot_win_and_truncate_committed_entries()
    {
        var cluster = new TestCluster(3).Start();
        cluster.Elect("n1");
        Func<Message, bool> cut = cluster.Isolate("n3");
        for (int i = 0; i < 5; i++) Assert.Equal(ProposeResult.Accepted, cluster.Propose("n1", "m" + i));
        cluster.TickAll(3);
        long committed = cluster["n1"].Core!.CommitIndex;
        Assert.True(committed >= 6);
        cluster.Heal(cut);

        foreach (string id in cluster.Ids) cluster.Crash(id);
        cluster.Restart("n3");
        cluster.Tick("n3", 25); // alone: it pre-votes into the void
        cluster.Restart("n1");
        cluster.Restart("n2");
        for (int round = 0; round < 60; round++)
        {
            cluster.Tick("n3");
            cluster.DeliverAll();
            Assert.NotEqual(RaftRole.Leader, cluster["n3"].State.Role);
            if (round % 3 == 0) cluster.TickAll(1);
        }

        TestNode leader = cluster.Leader ?? throw new Xunit.Sdk.XunitException("no leader after restart");
        Assert.NotEqual("n3", leader.Id);
        cluster.TickAll(5);
        foreach (TestNode node in cluster.Nodes)
        {
            Assert.Equal(new[] { "m0", "m1", "m2", "m3", "m4" }, node.AppliedPayloads);
        }
    }

    /// <summary>
    /// A leader that is paused (no ticks, no messages) for a long time still believes it leads when it resumes;
    /// the group has moved on, so its proposals must never commit and it must step down.
    /// </summary>
    [Fact]
    public void Paused_leader_is_deposed_and_its_proposals_never_commit_after_it_resumes()
    {
        var cluster = new TestCluster(3).Start();
        cluster.Elect("n1");
        long oldTerm = cluster["n1"].State.Term;

        Func<Message, bool> pause = cluster.Isolate("n1");
        for (int round = 0; round < 40; round++)
        {
            cluster.Tick("n2");
            cluster.Tick("n3");
            cluster.DeliverAll();
        }
        Assert.True(cluster["n2"].State.Role == RaftRole.Leader || cluster["n3"].State.Role == RaftRole.Leader);
        Assert.Equal(RaftRole.Leader, cluster["n1"].State.Role); // it has not noticed anything yet

        cluster.Heal(pause);
        Assert.Equal(ProposeResult.Accepted, cluster.Propose("n1", "from-the-past"));
        cluster.DeliverAll();
        cluster.TickAll(10);

        Assert.Equal(RaftRole.Follower, cluster["n1"].State.Role);
        Assert.True(cluster["n1"].State.Term > oldTerm);
        Assert.All(cluster.Nodes, node => Assert.DoesNotContain("from-the-past", node.AppliedPayloads));
        Assert.All(cluster.Nodes, node => Assert.DoesNotContain(node.Log.Entries(1, node.Log.LastIndex, long.MaxValue),
            e => e.Body.Span.SequenceEqual("from-the-past"u8)));
    }

    /// <summary>
    /// A follower cut off from the group keeps timing out; with pre-vote it never raises its term, so when it
    /// comes back the leader keeps leading in the same term. Without pre-vote the rejoin deposes the leader.
    /// </summary>
    [Theory]
    [InlineData(PlantedBugs.None, false)]
    [InlineData(PlantedBugs.SkipPreVote, true)]
    internal void Isolated_follower_rejoining_does_not_disrupt_the_leader(PlantedBugs bugs, bool expectDisruption)
    {
        var cluster = new TestCluster(3, bugs: bugs).Start();
        cluster.Elect("n1");
        long term = cluster["n1"].State.Term;

        Func<Message, bool> cut = cluster.Isolate("n3");
        cluster.TickAll(100); // ten election timeouts
        cluster.Heal(cut);
        cluster.TickAll(30);

        bool disrupted = cluster["n1"].State.Term != term || cluster.Leader?.Id != "n1";
        Assert.Equal(expectDisruption, disrupted);
        if (!expectDisruption) Assert.Equal(term, cluster["n3"].State.Term);
    }
}
