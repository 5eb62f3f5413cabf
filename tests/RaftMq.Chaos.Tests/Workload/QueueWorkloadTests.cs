using RaftMq.Chaos.Checking;
using RaftMq.Chaos.History;
using RaftMq.Chaos.Workload;

namespace RaftMq.Chaos.Tests.Workload;

public sealed class QueueWorkloadTests
{
    private static readonly WorkloadOptions Small = new()
    {
        Producers = 3,
        Consumers = 2,
        KeysPerProducer = 2,
        MaxMessages = 150,
        Duration = TimeSpan.FromSeconds(60),
        SendInterval = TimeSpan.Zero,
        DrainTimeout = TimeSpan.FromSeconds(30),
    };

    private static async Task<(WorkloadSummary Summary, IReadOnlyList<HistoryOp> Ops, CheckResult Result)> Run(
        InMemoryQueueClient client, WorkloadOptions? options = null)
    {
        var history = new InMemoryHistory();
        var workload = new QueueWorkload(client, history, new HistoryClock(), options ?? Small);
        var summary = await workload.RunAsync(CancellationToken.None);
        var ops = history.Snapshot();
        return (summary, ops, Checker.Check(ops, CheckOptions.FromHistory(ops)));
    }

    private static bool Every(ChaosMessage m, int n) => int.Parse(m.PayloadId.Split('-')[1]) % n == 1;

    [Fact]
    public async Task Correct_broker_gives_a_valid_history_with_every_message_acked_and_received_once()
    {
        var (summary, ops, result) = await Run(new InMemoryQueueClient(consumers: 2));

        Assert.Equal(new WorkloadSummary(150, 150, 150, FullDrain: true), summary);
        Assert.Equal(150, ops.OfType<SendOp>().Count());
        Assert.Equal(150, ops.OfType<ReceiveOp>().Count());
        Assert.True(result.IsValid, result.Summary());
        Assert.True(result.Options.FullDrain);
        Assert.Equal(6, ops.OfType<SendOp>().Select(s => s.Key).Distinct().Count());
        Assert.All(ops.OfType<SendOp>().GroupBy(s => s.Key), g => Assert.Equal(Enumerable.Range(1, g.Count()).Select(i => (long)i), g.Select(s => s.Seq)));
    }

    [Fact]
    public async Task Broker_losing_acked_writes_is_caught()
    {
        var client = new InMemoryQueueClient(consumers: 2) { Faults = m => Every(m, 10) ? FakeSendFault.AckButLose : FakeSendFault.None };

        var (summary, _, result) = await Run(client, Small with { DrainTimeout = TimeSpan.FromMilliseconds(200) });

        Assert.False(summary.FullDrain);
        Assert.True(result.Count(AnomalyKind.Lost) + result.Count(AnomalyKind.Unseen) >= 1, result.Summary());
        Assert.True(result.Count(AnomalyKind.Lost) >= 1, "later offsets were read, so the skipped ones are lost");
        Assert.False(result.IsValid);
    }

    [Fact]
    public async Task Broker_storing_twice_is_an_unexplained_duplicate()
    {
        var client = new InMemoryQueueClient(consumers: 2) { Faults = m => Every(m, 25) ? FakeSendFault.StoreTwice : FakeSendFault.None };

        var (_, _, result) = await Run(client);

        Assert.True(result.Count(AnomalyKind.DuplicateUnexplained) >= 1, result.Summary());
        Assert.False(result.IsValid);
    }

    [Fact]
    public async Task Write_reported_failed_but_stored_becomes_visible()
    {
        var client = new InMemoryQueueClient(consumers: 2) { Faults = m => Every(m, 25) ? FakeSendFault.StoreButReportFail : FakeSendFault.None };

        var (_, _, result) = await Run(client, Small with { RetriesAfterFailure = 0 });

        Assert.True(result.Count(AnomalyKind.FailedWriteVisible) >= 1, result.Summary());
        Assert.False(result.IsValid);
    }

    [Fact]
    public async Task Timeout_then_retry_is_an_explained_duplicate_and_the_run_stays_valid()
    {
        var retried = new HashSet<string>();
        var once = new InMemoryQueueClient(consumers: 2)
        {
            Faults = m => Every(m, 25) && retried.Add(m.PayloadId) ? FakeSendFault.StoreButReportInfo : FakeSendFault.None,
        };

        var (_, ops, result) = await Run(once, Small with { Producers = 1 });

        Assert.True(ops.OfType<SendOp>().Count(s => s.Outcome == SendOutcome.Unknown) >= 1);
        Assert.True(result.Count(AnomalyKind.DuplicateExplained) >= 1, result.Summary());
        Assert.Equal(0, result.Count(AnomalyKind.DuplicateUnexplained));
        Assert.True(result.IsValid, result.Summary());
    }

    [Fact]
    public async Task Send_that_never_answers_is_recorded_as_info_after_the_timeout()
    {
        var client = new InMemoryQueueClient(consumers: 1) { Faults = m => m.PayloadId == "p0-0" ? FakeSendFault.Hang : FakeSendFault.None };

        var (_, ops, _) = await Run(client, Small with
        {
            Producers = 1, Consumers = 1, MaxMessages = 3, SendTimeout = TimeSpan.FromMilliseconds(100), RetriesAfterFailure = 0,
        });

        var hung = Assert.Single(ops.OfType<SendOp>(), s => s.PayloadId == "p0-0");
        Assert.Equal(SendOutcome.Unknown, hung.Outcome);
        Assert.StartsWith("timeout", hung.Error);
    }

    [Fact]
    public void Message_body_round_trips_payload_key_and_seq()
    {
        var message = new ChaosMessage("p1-k0", 42, "p1-99");

        var body = message.Encode(128);

        Assert.Equal(128, body.Length);
        Assert.True(ChaosMessage.TryDecode(body, out var decoded));
        Assert.Equal(message, decoded);
        Assert.False(ChaosMessage.TryDecode("hello"u8, out _));
    }
}
