using RaftMq.Chaos.Checking;
using RaftMq.Chaos.Tests.Support;

namespace RaftMq.Chaos.Tests.Checking;

public sealed class CheckerAnomalyTests
{
    private static readonly CheckOptions Drained = new() { FullDrain = true };

    private static CheckResult Check(HistoryBuilder history, CheckOptions? options = null) =>
        Checker.Check(history.Ops, options ?? Drained);

    private static void AssertOnly(CheckResult result, AnomalyKind kind, int count = 1)
    {
        Assert.Equal(count, result.Count(kind));
        foreach (var group in result.Anomalies.Where(g => g.Kind != kind))
        {
            Assert.True(group.Count == 0, $"unexpected {group.Kind}: {string.Join("; ", group.Examples)}");
        }
    }

    [Fact]
    public void Clean_history_reports_nothing_and_is_valid()
    {
        var h = new HistoryBuilder()
            .Ok("a", "k", 1, offset: 0).Ok("b", "k", 2, offset: 1).Info("c", "k", 3).Fail("d", "k", 4)
            .Receive("a", "k", 1, 0).Receive("b", "k", 2, 1);

        var result = Check(h);

        Assert.True(result.IsValid);
        Assert.All(result.Anomalies, g => Assert.Equal(0, g.Count));
        Assert.Equal(new OperationCounts(4, 2, 1, 1, 2, 0, 4, 2, 2), result.Counts);
    }

    [Fact]
    public void Acked_message_skipped_by_a_later_read_is_lost()
    {
        var h = new HistoryBuilder()
            .Ok("a", "k", 1, offset: 0).Ok("b", "k", 2, offset: 1)
            .Receive("b", "k", 2, 1);

        var result = Check(h);

        AssertOnly(result, AnomalyKind.Lost);
        Assert.Equal("a", result.Group(AnomalyKind.Lost).Examples[0].Subject);
        Assert.False(result.IsValid);
    }

    [Fact]
    public void Acked_message_never_read_and_not_passed_is_unseen()
    {
        var h = new HistoryBuilder()
            .Ok("a", "k", 1, offset: 0).Ok("b", "k", 2, offset: 1)
            .Receive("a", "k", 1, 0);

        var result = Check(h);

        AssertOnly(result, AnomalyKind.Unseen);
        Assert.Equal("b", result.Group(AnomalyKind.Unseen).Examples[0].Subject);
        Assert.False(result.IsValid);
    }

    [Fact]
    public void Unseen_does_not_fail_a_run_that_did_not_drain_fully()
    {
        var h = new HistoryBuilder().Ok("a", "k", 1, offset: 0);

        var result = Check(h, new CheckOptions { FullDrain = false });

        Assert.Equal(1, result.Count(AnomalyKind.Unseen));
        Assert.True(result.IsValid);
    }

    [Fact]
    public void Message_stored_twice_without_an_ambiguous_send_is_an_unexplained_duplicate()
    {
        var h = new HistoryBuilder()
            .Ok("a", "k", 1, offset: 0)
            .Receive("a", "k", 1, 0).Receive("a", "k", 1, 1);

        var result = Check(h);

        AssertOnly(result, AnomalyKind.DuplicateUnexplained);
        Assert.False(result.IsValid);
    }

    [Fact]
    public void Duplicate_after_an_info_send_and_a_retry_is_explained()
    {
        var h = new HistoryBuilder()
            .Info("a", "k", 1).Ok("a", "k", 1, offset: 1)
            .Receive("a", "k", 1, 0).Receive("a", "k", 1, 1);

        var result = Check(h);

        AssertOnly(result, AnomalyKind.DuplicateExplained);
        Assert.True(result.IsValid);
    }

    [Fact]
    public void Duplicate_from_client_internal_retries_is_explained()
    {
        var h = new HistoryBuilder()
            .Ok("a", "k", 1, offset: 1, attempts: 2)
            .Receive("a", "k", 1, 0).Receive("a", "k", 1, 1);

        AssertOnly(Check(h), AnomalyKind.DuplicateExplained);
    }

    [Fact]
    public void Three_copies_from_one_info_retry_are_not_all_explained()
    {
        var h = new HistoryBuilder()
            .Info("a", "k", 1).Ok("a", "k", 1, offset: 2)
            .Receive("a", "k", 1, 0).Receive("a", "k", 1, 1).Receive("a", "k", 1, 2);

        AssertOnly(Check(h), AnomalyKind.DuplicateUnexplained);
    }

    [Fact]
    public void Redelivery_of_the_same_offset_is_reported_but_allowed()
    {
        var h = new HistoryBuilder()
            .Ok("a", "k", 1, offset: 0)
            .Receive("a", "k", 1, 0, consumer: "c0").Receive("a", "k", 1, 0, consumer: "c1");

        var result = Check(h);

        AssertOnly(result, AnomalyKind.DuplicateRedelivery);
        Assert.True(result.IsValid);
    }

    [Fact]
    public void Two_payloads_at_one_offset_are_inconsistent_offsets()
    {
        var h = new HistoryBuilder()
            .Ok("a", "k1", 1, offset: 0).Ok("b", "k2", 1, offset: 0)
            .Receive("a", "k1", 1, 0);

        var result = Check(h);

        Assert.Equal(1, result.Count(AnomalyKind.InconsistentOffset));
        Assert.Equal("RaftNode00/0@0", result.Group(AnomalyKind.InconsistentOffset).Examples[0].Subject);
        Assert.False(result.IsValid);
    }

    [Fact]
    public void Failed_send_that_is_read_is_a_failed_write_made_visible()
    {
        var h = new HistoryBuilder()
            .Fail("a", "k", 1)
            .Receive("a", "k", 1, 0);

        var result = Check(h);

        AssertOnly(result, AnomalyKind.FailedWriteVisible);
        Assert.False(result.IsValid);
    }

    [Fact]
    public void Info_send_that_is_read_is_allowed()
    {
        var h = new HistoryBuilder().Info("a", "k", 1).Receive("a", "k", 1, 0);

        var result = Check(h);

        Assert.All(result.Anomalies, g => Assert.Equal(0, g.Count));
        Assert.True(result.IsValid);
    }

    [Fact]
    public void Read_of_a_payload_nobody_sent_is_unexpected()
    {
        var h = new HistoryBuilder().Receive("ghost", "k", 1, 0);

        AssertOnly(Check(h), AnomalyKind.Unexpected);
    }

    [Fact]
    public void Key_delivered_out_of_seq_order_is_an_order_violation()
    {
        var h = new HistoryBuilder()
            .Ok("a", "k", 1, offset: 0, queue: 0).Ok("b", "k", 2, offset: 0, queue: 1)
            .Receive("b", "k", 2, 0, queue: 1).Receive("a", "k", 1, 0, queue: 0);

        var result = Check(h);

        AssertOnly(result, AnomalyKind.OrderViolation);
        Assert.Contains("seq 1", result.Group(AnomalyKind.OrderViolation).Examples[0].Detail);
    }

    [Fact]
    public void Key_stored_at_decreasing_offsets_is_an_order_violation()
    {
        var h = new HistoryBuilder()
            .Ok("a", "k", 1, offset: 5).Ok("b", "k", 2, offset: 4);

        var result = Check(h, new CheckOptions { FullDrain = false });

        Assert.Equal(1, result.Count(AnomalyKind.OrderViolation));
        Assert.Contains("stored out of order", result.Group(AnomalyKind.OrderViolation).Examples[0].Detail);
        Assert.False(result.IsValid);
    }

    [Fact]
    public void Redelivery_of_an_earlier_suffix_does_not_break_key_order()
    {
        var h = new HistoryBuilder()
            .Ok("a", "k", 1, offset: 0).Ok("b", "k", 2, offset: 1).Ok("c", "k", 3, offset: 2)
            .Receive("a", "k", 1, 0).Receive("b", "k", 2, 1)
            .Receive("a", "k", 1, 0, consumer: "c1").Receive("b", "k", 2, 1, consumer: "c1").Receive("c", "k", 3, 2, consumer: "c1");

        var result = Check(h);

        Assert.Equal(0, result.Count(AnomalyKind.OrderViolation));
        Assert.Equal(2, result.Count(AnomalyKind.DuplicateRedelivery));
        Assert.True(result.IsValid);
    }

    [Fact]
    public void Order_is_not_checked_when_keys_were_not_sent_in_order()
    {
        var h = new HistoryBuilder()
            .Ok("a", "k", 1, offset: 0, queue: 0).Ok("b", "k", 2, offset: 0, queue: 1)
            .Receive("b", "k", 2, 0, queue: 1).Receive("a", "k", 1, 0, queue: 0);

        var result = Check(h, Drained with { OrderedKeys = false });

        Assert.True(result.IsValid);
    }
}
