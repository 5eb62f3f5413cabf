using RaftMq.Consensus.Core;

namespace RaftMq.Consensus.Tests.Core;

/// <summary>
/// A follower whose log was wiped (or opened empty) while it kept its hard state: the leader that knew it must
/// notice the loss and catch it up, without being fooled by delayed answers from before.
/// </summary>
public sealed class LostLogTests
{
    [Fact]
    public void Leader_catches_up_a_follower_whose_log_was_wiped_and_keeps_its_leadership()
    {
        var cluster = new TestCluster(3).Start();
        cluster.Elect("n1");
        for (int i = 0; i < 10; i++) cluster.Propose("n1", "m" + i);
        cluster.TickAll(2);
        TestNode leader = cluster["n1"];
        long term = leader.State.Term;
        Assert.Equal(leader.Log.LastIndex, leader.Core!.MatchForTesting("n3"));

        cluster.WipeLogAndRestart("n3");
        Assert.Equal(0, cluster["n3"].Log.LastIndex);
        cluster.TickAll(3);

        Assert.Equal(RaftRole.Leader, leader.State.Role);
        Assert.Equal(term, leader.State.Term);
        Assert.Equal(leader.Log.LastIndex, cluster["n3"].Log.LastIndex);
        Assert.Equal(leader.Log.LastIndex, leader.Core.MatchForTesting("n3"));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => "m" + i), cluster["n3"].AppliedPayloads);
        Assert.Empty(cluster["n3"].SnapshotsInstalled);
    }

    [Fact]
    public void Leader_that_compacted_its_log_catches_up_a_wiped_follower_with_its_snapshot()
    {
        var cluster = new TestCluster(3).Start();
        cluster.Elect("n1");
        for (int i = 0; i < 30; i++) cluster.Propose("n1", "m" + i);
        cluster.TickAll(2);
        foreach (string id in new[] { "n1", "n2" }) cluster[id].Log.Compact(20, new byte[] { 42 });
        TestNode leader = cluster["n1"];
        long term = leader.State.Term;

        cluster.WipeLogAndRestart("n3");
        cluster.TickAll(5);

        TestNode wiped = cluster["n3"];
        Assert.Equal(RaftRole.Leader, leader.State.Role);
        Assert.Equal(term, leader.State.Term);
        Snapshot installed = Assert.Single(wiped.SnapshotsInstalled);
        Assert.Equal(20, installed.Index);
        Assert.Equal(21, wiped.Log.FirstIndex);
        Assert.Equal(leader.Log.LastIndex, wiped.Log.LastIndex);
        Assert.Equal(leader.Log.NextPos, wiped.Log.NextPos);
        Assert.Equal(Enumerable.Range(19, 11).Select(i => "m" + i), wiped.AppliedPayloads);
    }

    [Fact]
    public void A_refusal_delayed_from_before_the_followers_acknowledgement_does_not_lower_its_match()
    {
        long[] fiveEntries = { 1, 1, 1, 1, 1 };
        var cluster = new TestCluster(3);
        cluster.Preload("n1", 1, fiveEntries);
        cluster.Preload("n2", 1, fiveEntries);
        cluster.Preload("n3", 1);
        cluster.Start();
        cluster.Elect("n1"); // term 2: the NOOP goes at 6 after (5, 1), which the empty n3 refuses
        cluster.TickAll(2);
        TestNode leader = cluster["n1"];
        Message refusal = cluster.Sent.First(m => m.From == "n3" && m.Type == MessageType.AppendResponse && m.Reject);
        Assert.Equal(5, refusal.Index);
        Assert.Equal(1, refusal.HintIndex); // "my log is empty"
        Assert.Equal(6, leader.Core!.MatchForTesting("n3"));
        int sentBefore = cluster.Sent.Count;

        cluster.Inject(refusal); // the network delivers a duplicate of it late
        cluster.TickAll(2);

        Assert.Equal(6, leader.Core.MatchForTesting("n3"));
        Assert.DoesNotContain(cluster.Sent.Skip(sentBefore), m => m.Type == MessageType.Append && m.To == "n3" && m.LogIndex < 6);
        Assert.DoesNotContain(cluster.Sent.Skip(sentBefore), m => m.Type == MessageType.InstallSnapshot);
    }

    [Fact]
    public void An_acknowledgement_sent_before_the_wipe_does_not_count_once_the_leader_saw_the_loss()
    {
        var cluster = new TestCluster(3).Start();
        cluster.Elect("n1");
        for (int i = 0; i < 3; i++) cluster.Propose("n1", "m" + i);
        cluster.TickAll(2);
        TestNode leader = cluster["n1"];
        long last = leader.Log.LastIndex;
        Message oldAck = cluster.Sent.Last(m => m.From == "n3" && m.Type == MessageType.AppendResponse && !m.Reject);
        Assert.Equal(last, oldAck.Index);
        // Hold back the catch-up, so that the wiped follower stays empty while the old acknowledgement arrives.
        cluster.Drop(m => m.Type == MessageType.Append && m.To == "n3" && m.LogIndex < last);

        cluster.WipeLogAndRestart("n3");
        cluster.TickAll(2);
        Assert.Equal(0, leader.Core!.MatchForTesting("n3"));
        cluster.Inject(oldAck);

        Assert.Equal(0, leader.Core.MatchForTesting("n3"));
        cluster.HealAll();
        cluster.TickAll(3);
        Assert.Equal(last, leader.Core.MatchForTesting("n3"));
        Assert.Equal(last, cluster["n3"].Log.LastIndex);
    }
}
