using RaftMq.Chaos.Checking;
using RaftMq.Chaos.History;
using RaftMq.Chaos.Tests.Support;

namespace RaftMq.Chaos.Tests.Checking;

/// <summary>The checker's rules for a transactional workload: a committed transaction must be read, a rolled-back one
/// never, and a committed one at most once per stored copy.</summary>
public sealed class CheckerTransactionTests
{
    private static readonly CheckOptions Drained = new() { FullDrain = true, OrderedKeys = false };

    [Fact]
    public void Committed_and_rolled_back_transactions_as_they_should_be_are_valid()
    {
        var h = new HistoryBuilder()
            .Prepared("a", "k", 1, "commit").Prepared("b", "k", 2, "rollback")
            .Prepared("c", "k", 3, "check-commit", endError: "no outcome yet").Prepared("d", "k", 4, "check-rollback")
            .Receive("a", "k", 1, 0).Receive("c", "k", 3, 1);

        var result = Checker.Check(h.Ops, Drained);

        Assert.True(result.IsValid, string.Join("; ", result.Anomalies.Where(g => g.Count > 0).Select(g => g.Kind)));
        Assert.All(result.Anomalies, g => Assert.Equal(0, g.Count));
        Assert.Equal(2, result.Counts.AckedPayloads);
    }

    [Fact]
    public void A_committed_transaction_never_read_is_committed_missing()
    {
        var h = new HistoryBuilder()
            .Prepared("a", "k", 1, "commit").Prepared("b", "k", 2, "check-commit", endError: "broker unreachable")
            .Receive("a", "k", 1, 0);

        var result = Checker.Check(h.Ops, Drained);

        Assert.Equal(1, result.Count(AnomalyKind.CommittedMissing));
        var example = result.Group(AnomalyKind.CommittedMissing).Examples[0];
        Assert.Equal("b", example.Subject);
        Assert.Contains("broker unreachable", example.Detail, StringComparison.Ordinal);
        Assert.Equal(0, result.Count(AnomalyKind.Unseen));
        Assert.False(result.IsValid);
        // Without a full drain the consumers may simply not have caught up: reported, not failing.
        Assert.True(Checker.Check(h.Ops, Drained with { FullDrain = false }).IsValid);
    }

    [Theory]
    [InlineData("rollback")]
    [InlineData("check-rollback")]
    public void A_rolled_back_transaction_that_is_read_fails_the_run(string plan)
    {
        var h = new HistoryBuilder().Prepared("a", "k", 1, plan).Receive("a", "k", 1, 0);

        var result = Checker.Check(h.Ops, Drained);

        Assert.Equal(1, result.Count(AnomalyKind.RolledBackDelivered));
        Assert.False(result.IsValid);
    }

    [Fact]
    public void A_rolled_back_transaction_whose_half_send_was_unknown_still_must_not_be_read()
    {
        var h = new HistoryBuilder();
        h.Info("a", "k", 1);
        var ops = h.Ops.Select(op => op is SendOp send ? send with { Transaction = "rollback" } : op).ToList();
        ops.Add(new ReceiveOp("c0", "a", "k", 1, HistoryBuilder.Broker, 0, 0, h.NowUs));

        Assert.Equal(1, Checker.Check(ops, Drained).Count(AnomalyKind.RolledBackDelivered));
    }

    [Fact]
    public void A_committed_transaction_stored_twice_is_an_unexplained_duplicate()
    {
        var h = new HistoryBuilder()
            .Prepared("a", "k", 1, "commit")
            .Receive("a", "k", 1, 0).Receive("a", "k", 1, 1);

        var result = Checker.Check(h.Ops, Drained);

        Assert.Equal(1, result.Count(AnomalyKind.DuplicateUnexplained));
        Assert.False(result.IsValid);
    }

    [Fact]
    public void Transaction_fields_survive_the_history_file()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "history.jsonl");
        var send = new SendOp("p0", "k", 1, "a", 1, 2, SendOutcome.Acknowledged, MsgId: "m", Transaction: "check-commit", EndError: "lost");
        using (var writer = new HistoryWriter(path))
        {
            writer.Append(send);
        }

        Assert.Equal(send, Assert.Single(HistoryReader.ReadFile(path).Ops));
    }
}
