using RaftMq.Consensus.Core;

namespace RaftMq.Consensus.Tests.Core;

/// <summary>The applied index given at construction: committed entries the state machine holds are not handed out again.</summary>
public sealed class AppliedIndexTests
{
    /// <summary>A group with 5 payloads committed everywhere (indexes 2-6 after the NOOP at 1).</summary>
    private static TestCluster CommittedGroup()
    {
        var cluster = new TestCluster(3).Start();
        cluster.Elect("n1");
        for (int i = 0; i < 5; i++) cluster.Propose("n1", "m" + i);
        cluster.TickAll(2);
        Assert.Equal(6, cluster["n2"].Core!.CommitIndex);
        return cluster;
    }

    /// <summary>Stops <paramref name="id"/> after saving its commit index as hint <paramref name="commitHint"/>.</summary>
    private static void Stop(TestCluster cluster, string id, long commitHint)
    {
        cluster[id].HardState = cluster[id].HardState with { Commit = commitHint };
        cluster.Crash(id);
    }

    [Fact]
    public void Restarted_node_hands_out_only_the_committed_entries_after_its_applied_index()
    {
        TestCluster cluster = CommittedGroup();
        Stop(cluster, "n2", commitHint: 6);

        cluster.Restart("n2", applied: 4);

        Assert.Equal(new long[] { 5, 6 }, cluster["n2"].Applied.Select(e => e.Index));
        Assert.Equal(6, cluster["n2"].Core!.AppliedIndex);
    }

    [Fact]
    public void Applied_index_beyond_the_recovered_commit_is_clamped_to_it()
    {
        TestCluster cluster = CommittedGroup();
        Stop(cluster, "n2", commitHint: 3);

        cluster.Restart("n2", applied: 100);
        Assert.Empty(cluster["n2"].Applied);
        Assert.Equal(3, cluster["n2"].Core!.AppliedIndex);
        cluster.TickAll(2); // the leader's heartbeats bring the commit index back

        Assert.Equal(new long[] { 4, 5, 6 }, cluster["n2"].Applied.Select(e => e.Index));
    }

    [Fact]
    public void Applied_index_below_the_snapshot_starts_after_the_snapshot()
    {
        TestCluster cluster = CommittedGroup();
        Stop(cluster, "n2", commitHint: 6);
        cluster["n2"].Log.Compact(5, new byte[] { 7 });

        cluster.Restart("n2", applied: 1);

        Assert.Equal(new long[] { 6 }, cluster["n2"].Applied.Select(e => e.Index));
    }

    [Fact]
    public void Default_applied_index_hands_out_every_retained_committed_entry()
    {
        TestCluster cluster = CommittedGroup();
        Stop(cluster, "n2", commitHint: 6);

        cluster.Restart("n2");

        Assert.Equal(new long[] { 1, 2, 3, 4, 5, 6 }, cluster["n2"].Applied.Select(e => e.Index));
    }
}
