using RaftMq.Chaos.Checking;
using RaftMq.Chaos.History;
using RaftMq.Chaos.Tests.Support;

namespace RaftMq.Chaos.Tests.Checking;

public sealed class PowerLossAndRecoveryTests
{
    private static HistoryBuilder LossAcrossPowerLoss()
    {
        var h = new HistoryBuilder().Ok("a", "k", 1, offset: 0).Ok("b", "k", 2, offset: 1);
        var window = h.StartFault("power-loss", "n0", "n1", "n2");
        h.Tick(5_000_000).StopFault(window, "power-loss");
        return h.Ok("c", "k", 3, offset: 1).Receive("a", "k", 1, 0).Receive("c", "k", 3, 1);
    }

    [Fact]
    public void Async_flush_loss_acked_just_before_a_power_loss_is_expected_and_does_not_fail_the_run()
    {
        var result = Checker.Check(LossAcrossPowerLoss().Ops,
            new CheckOptions { FullDrain = true, FlushDiskType = FlushDiskType.AsyncFlush });

        Assert.Equal(1, result.Count(AnomalyKind.ExpectedLoss));
        Assert.Equal(0, result.Count(AnomalyKind.Lost) + result.Count(AnomalyKind.Unseen));
        Assert.Contains("power loss", result.Group(AnomalyKind.ExpectedLoss).Examples[0].Detail);
        Assert.True(result.IsValid);
    }

    [Fact]
    public void Sync_flush_loss_across_a_power_loss_fails_the_run()
    {
        var result = Checker.Check(LossAcrossPowerLoss().Ops, new CheckOptions { FullDrain = true });

        Assert.Equal(0, result.Count(AnomalyKind.ExpectedLoss));
        Assert.True(result.Count(AnomalyKind.Lost) + result.Count(AnomalyKind.InconsistentOffset) >= 1);
        Assert.False(result.IsValid);
    }

    /// <summary>b is acked and read, then the power loss drops it and its offset goes to c.</summary>
    private static HistoryBuilder ReadThenRolledBack()
    {
        var h = new HistoryBuilder().Ok("a", "k", 1, offset: 0).Ok("b", "k", 2, offset: 1)
            .Receive("a", "k", 1, 0).Receive("b", "k", 2, 1);
        var window = h.StartFault("power-loss", "n0", "n1", "n2");
        h.Tick(5_000_000).StopFault(window, "power-loss");
        return h.Ok("c", "k", 3, offset: 1).Receive("c", "k", 3, 1);
    }

    [Fact]
    public void Async_flush_entry_read_before_a_power_loss_and_then_reused_is_expected_loss_not_an_inconsistency()
    {
        var result = Checker.Check(ReadThenRolledBack().Ops,
            new CheckOptions { FullDrain = true, FlushDiskType = FlushDiskType.AsyncFlush });

        Assert.Equal(1, result.Count(AnomalyKind.ExpectedLoss));
        Assert.Contains("holds c", result.Group(AnomalyKind.ExpectedLoss).Examples[0].Detail);
        Assert.Equal(0, result.Count(AnomalyKind.InconsistentOffset));
        Assert.Equal(0, result.Count(AnomalyKind.OrderViolation));
        Assert.True(result.IsValid);
    }

    [Fact]
    public void Sync_flush_entry_read_before_a_power_loss_and_then_reused_fails_the_run()
    {
        var result = Checker.Check(ReadThenRolledBack().Ops, new CheckOptions { FullDrain = true });

        Assert.Equal(0, result.Count(AnomalyKind.ExpectedLoss));
        Assert.Equal(1, result.Count(AnomalyKind.InconsistentOffset));
        Assert.False(result.IsValid);
    }

    [Fact]
    public void Async_flush_offset_reused_without_any_power_loss_fails_the_run()
    {
        var h = new HistoryBuilder().Ok("a", "k", 1, offset: 0).Receive("a", "k", 1, 0);
        var window = h.StartFault("kill-leader", "n0");
        h.Tick(5_000_000).StopFault(window, "kill-leader").Ok("b", "k", 2, offset: 0).Receive("b", "k", 2, 0);

        var result = Checker.Check(h.Ops, new CheckOptions { FullDrain = true, FlushDiskType = FlushDiskType.AsyncFlush });

        Assert.Equal(1, result.Count(AnomalyKind.InconsistentOffset));
        Assert.False(result.IsValid);
    }

    /// <summary>a and b are read; the power loss cuts b; c refills offset 1 and d gets 2; the consumer, already at 2,
    /// reads d and never c.</summary>
    private static HistoryBuilder ConsumerAheadOfTheRolledBackQueue(long refilledOffset)
    {
        var h = new HistoryBuilder().Ok("a", "k", 1, offset: 0).Ok("b", "k", 2, offset: 1)
            .Receive("a", "k", 1, 0).Receive("b", "k", 2, 1).Tick(30_000_000);
        var window = h.StartFault("power-loss", "n0", "n1", "n2");
        h.Tick(5_000_000).StopFault(window, "power-loss").Tick(30_000_000);
        return h.Ok("c", "k", 3, offset: refilledOffset).Ok("d", "k", 4, offset: refilledOffset + 1).Receive("d", "k", 4, refilledOffset + 1);
    }

    [Fact]
    public void Async_flush_message_acked_after_a_power_loss_at_an_offset_consumers_had_passed_is_expected_loss()
    {
        var result = Checker.Check(ConsumerAheadOfTheRolledBackQueue(refilledOffset: 1).Ops,
            new CheckOptions { FullDrain = true, FlushDiskType = FlushDiskType.AsyncFlush });

        Assert.Equal(0, result.Count(AnomalyKind.Lost));
        Assert.Contains(result.Group(AnomalyKind.ExpectedLoss).Examples, e => e.Subject == "c" && e.Detail.Contains("rolled the queue back"));
        Assert.True(result.IsValid);
    }

    [Fact]
    public void Sync_flush_message_skipped_after_a_power_loss_is_lost()
    {
        var result = Checker.Check(ConsumerAheadOfTheRolledBackQueue(refilledOffset: 1).Ops, new CheckOptions { FullDrain = true });

        Assert.Contains(result.Group(AnomalyKind.Lost).Examples, e => e.Subject == "c");
        Assert.False(result.IsValid);
    }

    [Fact]
    public void Async_flush_message_skipped_above_what_consumers_had_read_before_the_power_loss_is_lost()
    {
        var result = Checker.Check(ConsumerAheadOfTheRolledBackQueue(refilledOffset: 2).Ops,
            new CheckOptions { FullDrain = true, FlushDiskType = FlushDiskType.AsyncFlush });

        Assert.Contains(result.Group(AnomalyKind.Lost).Examples, e => e.Subject == "c");
        Assert.False(result.IsValid);
    }

    [Fact]
    public void Async_flush_loss_acked_long_before_the_power_loss_is_not_excused()
    {
        var h = new HistoryBuilder().Ok("a", "k", 1, offset: 0).Tick(60_000_000);
        var window = h.StartFault("power-loss", "n0", "n1", "n2");
        h.StopFault(window, "power-loss").Ok("b", "k", 2, offset: 1).Receive("b", "k", 2, 1);

        var result = Checker.Check(h.Ops, new CheckOptions { FullDrain = true, FlushDiskType = FlushDiskType.AsyncFlush });

        Assert.Equal(1, result.Count(AnomalyKind.Lost));
        Assert.False(result.IsValid);
    }

    [Fact]
    public void Recovery_time_runs_from_first_failed_send_to_next_ok_completion()
    {
        var h = new HistoryBuilder().Ok("a", "k", 1, offset: 0);
        var window = h.StartFault("kill-leader", "n1");
        var failureUs = h.NowUs;
        h.Info("b", "k", 2).Fail("c", "k", 3).Tick(2_000_000);
        var okInvokeUs = h.NowUs;
        h.Ok("d", "k", 4, offset: 1).StopFault(window, "kill-leader");

        var result = Checker.Check(h.Ops, new CheckOptions());

        var recovery = Assert.Single(result.Windows);
        Assert.Equal(RecoveryStatus.Recovered, recovery.Status);
        Assert.Equal(failureUs, recovery.FirstFailureUs);
        Assert.Equal(TimeSpan.FromMicroseconds(okInvokeUs + 500 - failureUs), recovery.RecoveryTime);
        Assert.Equal(recovery.RecoveryTime, result.Failover.Max);
        Assert.Equal(0.5, result.Availability);
    }

    [Fact]
    public void Window_without_failures_is_undisrupted_and_one_without_later_success_is_not_recovered()
    {
        var h = new HistoryBuilder();
        var first = h.StartFault("pause-leader", "n0");
        h.Ok("a", "k", 1, offset: 0).StopFault(first, "pause-leader");
        var second = h.StartFault("kill-majority", "n0", "n1");
        h.Info("b", "k", 2).StopFault(second, "kill-majority");

        var result = Checker.Check(h.Ops, new CheckOptions());

        Assert.Equal([RecoveryStatus.NoDisruption, RecoveryStatus.NotRecovered], result.Windows.Select(w => w.Status));
        Assert.Equal(0, result.Failover.Samples);
    }

    [Fact]
    public void Failover_stats_give_min_median_and_max_over_recovered_windows()
    {
        var stats = RecoveryStats.Of([TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(9)]);

        Assert.Equal(new RecoveryStats(4, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(9)), stats);
    }

    [Fact]
    public void Options_are_recovered_from_the_run_notes()
    {
        var h = new HistoryBuilder();
        h.Note(RunNotes.RunParameters, new Dictionary<string, string> { [RunNotes.FlushDiskTypeField] = "ASYNC_FLUSH", [RunNotes.OrderedKeysField] = "false" });
        h.Note(RunNotes.DrainComplete, new Dictionary<string, string> { [RunNotes.FullDrainField] = "true" });

        var options = CheckOptions.FromHistory(h.Ops);

        Assert.Equal(FlushDiskType.AsyncFlush, options.FlushDiskType);
        Assert.False(options.OrderedKeys);
        Assert.True(options.FullDrain);
    }

    [Fact]
    public void Summary_line_names_every_safety_count_and_the_verdict()
    {
        var result = Checker.Check(new HistoryBuilder().Ok("a", "k", 1, 0).Ops, new CheckOptions { FullDrain = true });

        var summary = result.Summary();

        Assert.StartsWith("chaos: ops=1 ok=1 fail=0 info=0 ", summary);
        Assert.Contains(" lost=0 unseen=1 ", summary);
        Assert.Contains(" dup=0 (unexplained 0) inconsistent=0 ", summary);
        Assert.EndsWith(" valid=false", summary);
    }
}
