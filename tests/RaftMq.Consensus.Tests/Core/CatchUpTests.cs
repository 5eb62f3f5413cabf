using RaftMq.Consensus.Core;

namespace RaftMq.Consensus.Tests.Core;

public sealed class CatchUpTests
{
    [Fact]
    public void Follower_behind_the_leaders_first_index_is_caught_up_with_a_snapshot()
    {
        var cluster = new TestCluster(3).Start();
        cluster.Elect("n1");
        cluster.Crash("n3");
        for (int i = 0; i < 30; i++) cluster.Propose("n1", "m" + i);
        cluster.TickAll(3);
        foreach (string id in new[] { "n1", "n2" })
        {
            cluster[id].Log.Compact(20, new byte[] { 42 }); // retention deleted everything up to 20
        }

        cluster.Restart("n3");
        cluster.TickAll(5);

        TestNode stale = cluster["n3"];
        Snapshot installed = Assert.Single(stale.SnapshotsInstalled);
        Assert.Equal(20, installed.Index);
        Assert.Equal(new byte[] { 42 }, installed.Data.ToArray());
        Assert.Equal(21, stale.Log.FirstIndex);
        Assert.Equal(cluster["n1"].Log.LastIndex, stale.Log.LastIndex);
        Assert.Equal(cluster["n1"].Log.NextPos, stale.Log.NextPos);
        Assert.Equal(Enumerable.Range(19, 11).Select(i => "m" + i), stale.AppliedPayloads);
        Assert.Equal(cluster["n1"].Core!.CommitIndex, stale.Core!.CommitIndex);
    }

    /// <summary>
    /// A follower that diverged over three terms (90 entries) is repaired with about one Append round trip per
    /// term thanks to the conflict hint, not one per entry.
    /// </summary>
    [Fact]
    public void Conflict_hint_repairs_a_diverged_follower_in_one_round_trip_per_term()
    {
        long[] leaderLog = Enumerable.Repeat(1L, 10).Concat(Enumerable.Repeat(5L, 90)).ToArray();
        long[] divergedLog = Enumerable.Repeat(1L, 10).Concat(Enumerable.Repeat(2L, 30))
            .Concat(Enumerable.Repeat(3L, 30)).Concat(Enumerable.Repeat(4L, 30)).ToArray();
        var cluster = new TestCluster(3);
        cluster.Preload("n1", 5, leaderLog);
        cluster.Preload("n2", 5, leaderLog);
        cluster.Preload("n3", 5, divergedLog);
        cluster.Start();

        cluster.Elect("n1");
        cluster.TickAll(2);

        int appendsToDiverged = cluster.Delivered.Count(m => m.Type == MessageType.Append && m.To == "n3");
        Assert.InRange(appendsToDiverged, 1, 6);
        Assert.Equal(101, cluster["n3"].Log.LastIndex);
        for (long i = 11; i <= 100; i++) Assert.Equal(5, cluster["n3"].Log.TermAt(i));
    }

    [Fact]
    public void Follower_that_lost_its_connection_to_the_leader_is_probed_again()
    {
        var cluster = new TestCluster(3).Start();
        cluster.Elect("n1");
        Func<Message, bool> cut = cluster.Isolate("n3");
        cluster.Propose("n1", "a");
        cluster.DeliverAll();
        cluster["n1"].Core!.ReportUnreachable("n3");

        cluster.Heal(cut);
        cluster.TickAll(3);

        Assert.Equal(new[] { "a" }, cluster["n3"].AppliedPayloads);
    }
}
