using RaftMq.Chaos.Checking;
using RaftMq.Chaos.History;
using RaftMq.Chaos.Nemesis;

namespace RaftMq.Chaos.Tests.Nemesis;

public sealed class NemesisTests
{
    private static readonly NemesisOptions Instant = new()
    {
        HealWindow = TimeSpan.Zero,
        FaultWindow = TimeSpan.Zero,
        StaleHeadStart = TimeSpan.Zero,
        RollingGap = TimeSpan.Zero,
        PauseMin = TimeSpan.FromSeconds(10),
        PauseMax = TimeSpan.FromSeconds(30),
    };

    private static async Task<(NemesisInjection Injection, List<string> Injected, List<string> Healed)> InjectAndHeal(
        string name, FakeClusterControl cluster, int seed = 1)
    {
        var context = new NemesisContext(cluster, new Random(seed), Instant, TimeProvider.System);
        var injection = await NemesisCatalog.Get(name).InjectAsync(context, CancellationToken.None);
        var injected = cluster.Actions.ToList();
        await injection.HealAsync(CancellationToken.None);
        return (injection, injected, cluster.Actions.Skip(injected.Count).ToList());
    }

    [Fact]
    public async Task Kill_leader_kills_the_leader_and_restarts_it_on_heal()
    {
        var (injection, injected, healed) = await InjectAndHeal(NemesisNames.KillLeader, new FakeClusterControl(3, "n1"));

        Assert.Equal(["kill n1"], injected);
        Assert.Equal(["restart n1"], healed);
        Assert.Equal(["n1"], injection.Targets);
    }

    [Fact]
    public async Task Transfer_leader_asks_the_leader_to_hand_over_to_a_follower_and_needs_no_heal()
    {
        var (injection, injected, healed) = await InjectAndHeal(NemesisNames.TransferLeader, new FakeClusterControl(3, "n1"));

        var action = Assert.Single(injected);
        Assert.Matches("^transfer n1 -> n[02]$", action);
        Assert.Empty(healed);
        Assert.Equal("n1", injection.Targets[0]);
    }

    [Fact]
    public async Task Rolling_restart_stops_and_restarts_every_node_one_by_one_with_the_leader_last()
    {
        var (injection, injected, healed) = await InjectAndHeal(NemesisNames.RollingRestart, new FakeClusterControl(3, "n0"));

        Assert.Equal(["stop n1", "restart n1", "serving n1", "stop n2", "restart n2", "serving n2", "stop n0", "restart n0", "serving n0"], injected);
        Assert.Empty(healed);
        Assert.Equal(["n1", "n2", "n0"], injection.Targets);
        Assert.Contains("no writable leader", injection.Detail);
    }

    [Fact]
    public async Task Kill_leader_without_a_known_leader_picks_a_node_and_says_so()
    {
        var (injection, injected, _) = await InjectAndHeal(NemesisNames.KillLeader, new FakeClusterControl(3, leader: null));

        Assert.Single(injected);
        Assert.Contains("leader unknown", injection.Detail);
    }

    [Theory]
    [InlineData(3, NemesisNames.KillMinority, 1)]
    [InlineData(5, NemesisNames.KillMinority, 2)]
    [InlineData(3, NemesisNames.KillMajority, 2)]
    [InlineData(5, NemesisNames.KillMajority, 3)]
    public async Task Kill_minority_and_majority_kill_the_right_number_of_distinct_nodes_and_restart_them(int nodes, string name, int killed)
    {
        var (injection, injected, healed) = await InjectAndHeal(name, new FakeClusterControl(nodes, "n0"));

        Assert.Equal(killed, injected.Distinct().Count());
        Assert.All(injected, a => Assert.StartsWith("kill ", a));
        Assert.Equal(injection.Targets.Select(t => $"restart {t}"), healed);
    }

    [Theory]
    [InlineData(NemesisNames.KillMinority, 1)]
    [InlineData(NemesisNames.KillMajority, 2)]
    [InlineData(NemesisNames.PartitionHalves, 1)]
    public async Task Minorities_and_majorities_are_counted_in_voters_learners_neither_widen_nor_join_them(string name, int hit)
    {
        // Three voters and two learners left over by a membership window: five nodes, but a minority is one voter.
        for (int seed = 1; seed <= 20; seed++)
        {
            var (injection, _, _) = await InjectAndHeal(name, new FakeClusterControl(3, "n0", learners: 2), seed);

            Assert.Equal(hit, injection.Targets.Distinct().Count());
            Assert.All(injection.Targets, target => Assert.Contains(target, new[] { "n0", "n1", "n2" }));
        }
    }

    [Fact]
    public void Membership_settling_promotes_a_learner_only_to_fill_a_missing_voter_and_removes_it_otherwise()
    {
        static GroupMembership Of(string[] voters, params (string Id, long Lag)[] learners) =>
            new(voters, learners.ToDictionary(l => l.Id, l => l.Lag));

        Assert.Equal(new MembershipChange(MembershipChangeKind.Remove, "n3"),
            NemesisCatalog.SettlingChange(Of(["n0", "n1", "n2"], ("n3", 0)), "n0", 3));
        Assert.Equal(new MembershipChange(MembershipChangeKind.Promote, "n3"),
            NemesisCatalog.SettlingChange(Of(["n0", "n1"], ("n3", 10)), "n0", 3));
        Assert.Null(NemesisCatalog.SettlingChange(Of(["n0", "n1"], ("n3", 5000)), "n0", 3));
        Assert.Equal(new MembershipChange(MembershipChangeKind.Remove, "n1"),
            NemesisCatalog.SettlingChange(Of(["n0", "n1", "n2", "n3"]), "n0", 3));
        Assert.Null(NemesisCatalog.SettlingChange(Of(["n0", "n1", "n2"]), "n0", 3));
    }

    [Fact]
    public async Task Pause_leader_stops_it_for_ten_to_thirty_seconds_then_continues_it()
    {
        var (injection, injected, healed) = await InjectAndHeal(NemesisNames.PauseLeader, new FakeClusterControl(3, "n2"));

        Assert.Equal(["pause n2"], injected);
        Assert.Equal(["resume n2"], healed);
        Assert.InRange(injection.Duration!.Value, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Pause_follower_stops_a_node_other_than_the_leader_then_continues_it()
    {
        for (int seed = 0; seed < 8; seed++)
        {
            var (injection, injected, healed) = await InjectAndHeal(NemesisNames.PauseFollower, new FakeClusterControl(3, "n2"), seed);

            string target = Assert.Single(injection.Targets);
            Assert.NotEqual("n2", target);
            Assert.Equal([$"pause {target}"], injected);
            Assert.Equal([$"resume {target}"], healed);
            Assert.InRange(injection.Duration!.Value, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30));
        }
    }

    [Fact]
    public async Task Partition_leader_isolates_it_and_heal_restores_the_network()
    {
        var cluster = new FakeClusterControl(3, "n1");

        var (_, injected, healed) = await InjectAndHeal(NemesisNames.PartitionLeader, cluster);

        Assert.Equal(["partition isolate n1"], injected);
        Assert.Equal(["heal"], healed);
        Assert.True(cluster.LastPlan!.IsCut("n1", "n0"));
        Assert.False(cluster.LastPlan.IsCut("n0", "n2"));
    }

    [Theory]
    [InlineData(NemesisNames.PartitionHalves, "partition halves")]
    [InlineData(NemesisNames.Bridge, "partition bridge")]
    [InlineData(NemesisNames.Ring, "partition ring")]
    public async Task Partition_nemeses_apply_their_plan_on_five_nodes(string name, string expectedPrefix)
    {
        var (_, injected, healed) = await InjectAndHeal(name, new FakeClusterControl(5, "n0"));

        Assert.StartsWith(expectedPrefix, Assert.Single(injected));
        Assert.Equal(["heal"], healed);
    }

    [Fact]
    public async Task Restart_all_stale_first_kills_a_follower_first_and_restarts_it_first()
    {
        var (injection, injected, healed) = await InjectAndHeal(NemesisNames.RestartAllStaleFirst, new FakeClusterControl(3, "n0"));

        var stale = injection.Targets[0];
        Assert.NotEqual("n0", stale);
        Assert.Equal(3, injected.Count);
        Assert.Equal($"kill {stale}", injected[0]);
        Assert.Equal($"restart {stale}", healed[0]);
        Assert.Equal(3, healed.Distinct().Count());
    }

    [Fact]
    public async Task Power_loss_hits_every_node_and_restarts_them()
    {
        var (_, injected, healed) = await InjectAndHeal(NemesisNames.PowerLoss, new FakeClusterControl(3, "n0", supportsPowerLoss: true));

        Assert.Equal(["power-loss n0,n1,n2"], injected);
        Assert.Equal(["restart n0", "restart n1", "restart n2"], healed);
    }

    [Fact]
    public void Five_node_and_power_loss_nemeses_do_not_apply_where_they_cannot_run()
    {
        var scheduler = new NemesisScheduler(new FakeClusterControl(3, "n0"), new InMemoryHistory(), new HistoryClock(), Instant);

        var names = scheduler.Enabled.Select(n => n.Name).ToList();

        Assert.DoesNotContain(NemesisNames.Bridge, names);
        Assert.DoesNotContain(NemesisNames.Ring, names);
        Assert.DoesNotContain(NemesisNames.PowerLoss, names);
        Assert.Contains(NemesisNames.KillLeader, names);
    }

    [Fact]
    public void Unknown_nemesis_names_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => new NemesisScheduler(
            new FakeClusterControl(3, "n0"), new InMemoryHistory(), new HistoryClock(), Instant with { Enabled = ["kill-everything"] }));
    }
}
