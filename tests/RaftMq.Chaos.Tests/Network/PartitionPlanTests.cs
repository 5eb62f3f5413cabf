using RaftMq.Chaos.Network;

namespace RaftMq.Chaos.Tests.Network;

public sealed class PartitionPlanTests
{
    private static readonly string[] Three = ["n0", "n1", "n2"];
    private static readonly string[] Five = ["n0", "n1", "n2", "n3", "n4"];

    private static bool Talk(PartitionPlan plan, string a, string b) => !plan.IsCut(a, b) && !plan.IsCut(b, a);

    [Fact]
    public void Isolate_cuts_every_link_to_and_from_the_node_and_nothing_else()
    {
        var plan = PartitionPlan.Isolate(Three, "n1");

        Assert.Equal(4, plan.Cuts.Count);
        Assert.False(Talk(plan, "n1", "n0"));
        Assert.False(Talk(plan, "n2", "n1"));
        Assert.True(Talk(plan, "n0", "n2"));
    }

    [Fact]
    public void Halves_cut_across_sides_only()
    {
        var plan = PartitionPlan.Halves(Five, ["n0", "n3"]);

        Assert.Equal(2 * 2 * 3, plan.Cuts.Count);
        Assert.True(Talk(plan, "n0", "n3"));
        Assert.True(Talk(plan, "n1", "n4"));
        Assert.False(Talk(plan, "n0", "n1"));
    }

    [Fact]
    public void Random_halves_put_a_minority_against_a_majority_reproducibly()
    {
        var first = PartitionPlan.RandomHalves(Five, new Random(7));
        var again = PartitionPlan.RandomHalves(Five, new Random(7));

        Assert.Equal(first.Cuts.OrderBy(l => l.ToString()), again.Cuts.OrderBy(l => l.ToString()));
        Assert.Equal(2 * 2 * 3, first.Cuts.Count);
    }

    [Fact]
    public void Bridge_node_talks_to_both_sides_which_cannot_talk_to_each_other()
    {
        var plan = PartitionPlan.Bridge(Five);

        Assert.All(Five, n => Assert.True(n == "n2" || Talk(plan, "n2", n)));
        Assert.True(Talk(plan, "n0", "n1"));
        Assert.True(Talk(plan, "n3", "n4"));
        Assert.False(Talk(plan, "n0", "n3"));
        Assert.False(Talk(plan, "n1", "n4"));
        Assert.Equal(2 * 2 * 2, plan.Cuts.Count);
    }

    [Fact]
    public void Majorities_ring_gives_every_node_a_different_majority()
    {
        var plan = PartitionPlan.MajoritiesRing(Five);

        var views = Five.Select(n => string.Join(",", Five.Where(m => m == n || Talk(plan, n, m)))).ToList();
        Assert.All(views, v => Assert.Equal(3, v.Split(',').Length));
        Assert.Equal(5, views.Distinct().Count());
        Assert.True(Talk(plan, "n4", "n0"));
        Assert.False(Talk(plan, "n0", "n2"));
    }

    [Fact]
    public void Bridge_and_ring_refuse_a_group_that_is_not_five_nodes()
    {
        Assert.Throws<ArgumentException>(() => PartitionPlan.Bridge(Three));
        Assert.Throws<ArgumentException>(() => PartitionPlan.MajoritiesRing(Three));
    }
}
