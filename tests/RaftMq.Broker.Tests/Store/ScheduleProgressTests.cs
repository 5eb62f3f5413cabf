using System.Text;
using RaftMq.Broker.Store;
using RaftMq.Broker.Store.Checkpoint;
using RaftMq.Broker.Tests.Store.Fakes;

namespace RaftMq.Broker.Tests.Store;

/// <summary>Delay-level progress is derived from re-delivered messages (RMQ_SCHEDULED_FROM), like every other state.</summary>
public sealed class ScheduleProgressTests : IAsyncLifetime
{
    private readonly StoreHarness _harness = new("n0", "n1", "n2");

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _harness.DisposeAsync().AsTask();

    [Fact]
    public async Task Re_delivered_messages_advance_their_schedule_queue_on_every_replica_and_never_backwards()
    {
        await RedeliverAsync("2,0", "2,1", "5,7", "2,0", "x,1", "3,", "-1,4", "4,oops");
        _harness.Group.CatchUpAll();

        foreach (var store in _harness.All)
        {
            Assert.Equal(2, store.GetScheduleProgress(2));
            Assert.Equal(8, store.GetScheduleProgress(5));
            Assert.Equal(0, store.GetScheduleProgress(3));
            Assert.Equal(0, store.GetScheduleProgress(4));
        }
        // The copies themselves are ordinary messages of their real topic.
        Assert.Equal(8, _harness.Leader.GetMaxOffset("t", 0));
    }

    [Fact]
    public async Task Progress_survives_a_checkpoint_restart_and_a_rederivation_from_the_log()
    {
        await RedeliverAsync("0,0", "0,1");
        _harness.Leader.StateMachine.WriteCheckpoint();
        await RedeliverAsync("0,2", "1,0");

        var restarted = _harness.Crash("n0");
        Assert.Equal((3L, 1L), (restarted.GetScheduleProgress(0), restarted.GetScheduleProgress(1)));

        restarted.StateMachine.Reset();
        Assert.Equal(0, restarted.GetScheduleProgress(0));
        var rederived = _harness.Crash("n0");
        Assert.Equal((3L, 1L), (rederived.GetScheduleProgress(0), rederived.GetScheduleProgress(1)));
    }

    [Fact]
    public async Task Records_for_different_queues_are_stored_in_one_append_and_a_malformed_one_fails_them_all()
    {
        var status = await _harness.Leader.PutRecordsAsync(
            [TestMessages.Encode("t", 0, "a", scheduledFrom: "1,0"), TestMessages.Encode("u", 2, "b", scheduledFrom: "1,1")]);
        var truncated = TestMessages.Encode("t", 0, "c")[..^1];
        var refused = await _harness.Leader.PutRecordsAsync([TestMessages.Encode("t", 0, "d"), truncated]);

        Assert.Equal(StoreStatus.Ok, status);
        Assert.Equal(StoreStatus.MessageIllegal, refused);
        Assert.Equal((1L, 1L), (_harness.Leader.GetMaxOffset("t", 0), _harness.Leader.GetMaxOffset("u", 2)));
        Assert.Equal(2, _harness.Leader.GetScheduleProgress(1));
        Assert.Equal(StoreStatus.NotLeader, await _harness["n1"].PutRecordsAsync([TestMessages.Encode("t", 0, "e")]));
    }

    [Fact]
    public void A_checkpoint_written_before_delay_scheduling_reads_as_no_progress()
    {
        const string older = """{"version":1,"appliedIndex":4,"appliedTerm":2,"topics":[],"queues":[],"consumerOffsets":[]}""";

        var metadata = StoreMetadata.TryParse(Encoding.UTF8.GetBytes(older), out string? problem);

        Assert.Null(problem);
        Assert.NotNull(metadata);
        Assert.Null(metadata.ScheduleProgress);
    }

    private async Task RedeliverAsync(params string[] scheduledFrom)
    {
        foreach (string from in scheduledFrom)
        {
            var put = await _harness.Leader.PutMessagesAsync("t", 0, [TestMessages.Encode("t", 0, "due", scheduledFrom: from)]);
            Assert.Equal(StoreStatus.Ok, put.Status);
        }
    }
}
