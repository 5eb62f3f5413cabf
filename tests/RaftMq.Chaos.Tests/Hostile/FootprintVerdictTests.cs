using RaftMq.Chaos.Run;

namespace RaftMq.Chaos.Tests.Hostile;

public sealed class FootprintVerdictTests
{
    private const long MiB = 1024 * 1024;

    private static ClusterFootprint Footprint(params (string Node, long? Rss, long Term, int Starts)[] nodes) =>
        new([.. nodes.Select(n => new NodeFootprint(n.Node, n.Rss, n.Term, "FOLLOWER", n.Starts))]);

    [Fact]
    public void No_election_no_restart_and_memory_within_the_limit_is_valid()
    {
        var verdict = new FootprintVerdict(
            Footprint(("n0", 100 * MiB, 2, 1), ("n1", 120 * MiB, 2, 1)),
            Footprint(("n0", 105 * MiB, 2, 1), ("n1", 110 * MiB, 2, 1)),
            ExpectNoDisruption: true, MaxRssGrowth: 0.10);

        Assert.True(verdict.IsValid, string.Join("\n", verdict.Lines()));
        Assert.Equal(0, verdict.TermChanges);
        Assert.Equal(0.05, verdict.LargestRssGrowth!.Value, precision: 6);
    }

    [Fact]
    public void Memory_growth_past_the_limit_names_the_node()
    {
        var verdict = new FootprintVerdict(
            Footprint(("n0", 100 * MiB, 2, 1), ("n1", 100 * MiB, 2, 1)),
            Footprint(("n0", 100 * MiB, 2, 1), ("n1", 125 * MiB, 2, 1)),
            ExpectNoDisruption: false, MaxRssGrowth: 0.10);

        Assert.False(verdict.IsValid);
        Assert.Single(verdict.Violations);
        Assert.Contains("n1", verdict.Violations[0]);
    }

    [Fact]
    public void An_election_or_a_restarted_process_is_a_disruption_only_when_none_is_expected()
    {
        var before = Footprint(("n0", 100 * MiB, 2, 1), ("n1", 100 * MiB, 2, 1));
        var after = Footprint(("n0", 100 * MiB, 3, 1), ("n1", 90 * MiB, 3, 2));

        var strict = new FootprintVerdict(before, after, ExpectNoDisruption: true, MaxRssGrowth: null);
        var lenient = new FootprintVerdict(before, after, ExpectNoDisruption: false, MaxRssGrowth: null);

        Assert.Equal(1, strict.TermChanges);
        Assert.Equal(2, strict.Violations.Count);
        Assert.Contains(strict.Violations, v => v.Contains("term moved from 2 to 3"));
        Assert.Contains(strict.Violations, v => v.Contains("n1's broker process died"));
        Assert.True(lenient.IsValid);
    }

    [Fact]
    public void A_node_not_measured_twice_is_not_judged_on_memory()
    {
        var verdict = new FootprintVerdict(
            Footprint(("n0", null, 1, 1)), Footprint(("n0", 500 * MiB, 1, 1)), ExpectNoDisruption: false, MaxRssGrowth: 0.10);

        Assert.True(verdict.IsValid);
        Assert.Null(verdict.LargestRssGrowth);
    }
}
