using RaftMq.Chaos.Checking;
using RaftMq.Chaos.History;
using RaftMq.Chaos.Nemesis;

namespace RaftMq.Chaos.Tests.Nemesis;

public sealed class NemesisSchedulerTests
{
    private static readonly NemesisOptions Instant = new()
    {
        HealWindow = TimeSpan.Zero,
        FaultWindow = TimeSpan.Zero,
        StaleHeadStart = TimeSpan.Zero,
        PauseMin = TimeSpan.Zero,
        PauseMax = TimeSpan.Zero,
        MaxWindows = 12,
        Seed = 42,
    };

    private static async Task<(IReadOnlyList<HistoryOp> Ops, IReadOnlyList<string> Actions)> Run(NemesisOptions options, int nodes = 5)
    {
        var cluster = new FakeClusterControl(nodes, "n0", supportsPowerLoss: true);
        var history = new InMemoryHistory();
        await new NemesisScheduler(cluster, history, new HistoryClock(), options).RunAsync(TimeSpan.FromHours(1), CancellationToken.None);
        return (history.Snapshot(), cluster.Actions);
    }

    [Fact]
    public async Task Every_window_is_recorded_as_a_start_and_a_stop_with_the_same_number()
    {
        var (ops, _) = await Run(Instant);

        var windows = FaultWindow.FromOps(ops);
        Assert.Equal(12, windows.Count);
        Assert.Equal(Enumerable.Range(1, 12), windows.Select(w => w.Id));
        Assert.All(windows, w => Assert.True(w.StopUs >= w.StartUs));
        Assert.All(windows, w => Assert.Contains(w.Name, NemesisNames.All));
    }

    [Fact]
    public async Task Same_seed_gives_the_same_fault_sequence_and_another_seed_a_different_one()
    {
        var (first, firstActions) = await Run(Instant);
        var (again, againActions) = await Run(Instant);
        var (other, _) = await Run(Instant with { Seed = 7 });

        static string Names(IReadOnlyList<HistoryOp> ops) => string.Join(" ", FaultWindow.FromOps(ops).Select(w => w.Name + ":" + string.Join(",", w.Targets)));
        Assert.Equal(Names(first), Names(again));
        Assert.Equal(firstActions, againActions);
        Assert.NotEqual(Names(first), Names(other));
    }

    [Fact]
    public async Task Only_enabled_nemeses_are_drawn()
    {
        var (ops, _) = await Run(Instant with { Enabled = [NemesisNames.KillLeader, NemesisNames.Ring] });

        Assert.All(FaultWindow.FromOps(ops), w => Assert.Contains(w.Name, new[] { NemesisNames.KillLeader, NemesisNames.Ring }));
    }

    [Fact]
    public async Task Cancelling_during_a_fault_heals_it_and_records_the_stop()
    {
        var cluster = new FakeClusterControl(3, "n1");
        var history = new InMemoryHistory();
        var options = Instant with { Enabled = [NemesisNames.KillLeader], FaultWindow = TimeSpan.FromHours(1), MaxWindows = null };
        using var cancel = new CancellationTokenSource();
        var run = new NemesisScheduler(cluster, history, new HistoryClock(), options).RunAsync(TimeSpan.FromHours(2), cancel.Token);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!history.Snapshot().OfType<FaultOp>().Any())
        {
            Assert.True(DateTime.UtcNow < deadline, "no fault started");
            await Task.Delay(10);
        }

        await cancel.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(["kill n1", "restart n1"], cluster.Actions);
        Assert.Equal([FaultPhase.Start, FaultPhase.Stop], history.Snapshot().OfType<FaultOp>().Select(f => f.Phase));
    }
}
