using System.Buffers;
using RaftMq.Broker.Store;
using RaftMq.Broker.Tests.Store.Fakes;
using RaftMq.Protocol.Bodies;

namespace RaftMq.Broker.Tests.Store;

public sealed class MessageStoreRecoveryTests : IAsyncLifetime
{
    private static readonly (string, int)[] Queues = [("t", 0), ("t", 1), ("u", 0)];
    private readonly StoreHarness _harness = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _harness.DisposeAsync().AsTask();

    private string Directory0 => _harness.StoreDirectory("n0");

    [Fact]
    public async Task Restart_after_kill_resumes_from_the_checkpoint_and_reapplies_the_rest_of_the_log()
    {
        await PutAsync(5);
        await _harness.Leader.UpsertTopicAsync(new TopicConfig("t", 2, 2));
        await _harness.Leader.UpsertTopicAsync(new TopicConfig("u", 1, 1));
        _harness.Leader.StateMachine.WriteCheckpoint();
        long checkpointed = _harness.Leader.StateMachine.AppliedIndex;
        await PutAsync(7, keyPrefix: "late");
        await _harness.Leader.DeleteTopicAsync("u"); // its queues and key-index hits go with it
        var before = StoreAssertions.Observe(_harness.Leader, Queues);

        using (var reopened = new MessageStateMachine(_harness.OptionsFor("n0"), null, _harness.Logger, _harness.Time))
        {
            Assert.Equal(checkpointed, reopened.AppliedIndex); // what the runtime re-applies after
        }
        var recovered = _harness.Crash("n0");

        Assert.Equal(_harness.Group.Entries.Count, recovered.StateMachine.AppliedIndex);
        Assert.Equal(before, StoreAssertions.Observe(recovered, Queues));
        Assert.Null(recovered.FindTopic("u"));
        Assert.Single(recovered.QueryByKey("t", "late-6", 10, 0, long.MaxValue));
        Assert.Single(recovered.QueryByKey("t", "key-0", 10, 0, long.MaxValue));
        Assert.Empty(recovered.QueryByKey("u", "late-5", 10, 0, long.MaxValue));
        var next = await recovered.PutMessagesAsync("t", 0, [TestMessages.Encode("t", 0, "next")]);
        Assert.Equal(before[("t", 0)].Max, next.QueueOffset);
        var recreated = await recovered.PutMessagesAsync("u", 0, [TestMessages.Encode("u", 0, "again")]);
        Assert.Equal(0, recreated.QueueOffset);
    }

    [Fact]
    public async Task A_queue_created_after_the_checkpoint_is_not_opened_from_its_directory_at_recovery()
    {
        // A power loss can keep such a queue's directory and lose its units: listing it would make the queue set depend
        // on which files survived, and replicas at the same applied index would disagree (found by the simulator).
        await PutAsync(1); // t/0
        _harness.Leader.StateMachine.WriteCheckpoint();
        long checkpointed = _harness.Leader.StateMachine.AppliedIndex;
        await PutAsync(3); // t/0 again, then t/1 and u/0: queues the checkpoint does not list
        _harness.Leader.StateMachine.FlushConsumeQueues();
        Assert.True(System.IO.Directory.Exists(Path.Combine(Directory0, "consumequeue", "u", "0")));

        using var reopened = new MessageStateMachine(_harness.OptionsFor("n0"), null, _harness.Logger, _harness.Time);

        Assert.Equal(checkpointed, reopened.AppliedIndex);
        Assert.Null(reopened.RecoveryFinding);
        var listed = reopened.ConsumeQueueImages().Select(queue => (queue.Topic, queue.QueueId, queue.Next)).ToList();
        Assert.Equal([("t", 0, 1L)], listed);
    }

    [Fact]
    public async Task Reset_forgets_everything_derived_durably_and_the_log_derives_it_again()
    {
        await PutAsync(6);
        await _harness.Leader.UpsertTopicAsync(new TopicConfig("t", 2, 2));
        _harness.Leader.StateMachine.WriteCheckpoint();
        var before = StoreAssertions.Observe(_harness.Leader, Queues);
        var files = StoreAssertions.ConsumeQueueFiles(_harness.Leader);

        // What the node does on start when its log lost the applied entry (ASYNC_FLUSH power loss).
        _harness.Leader.StateMachine.Reset();

        Assert.Equal(0, _harness.Leader.StateMachine.AppliedIndex);
        Assert.Equal(0, _harness.Leader.StateMachine.AppliedTerm);
        Assert.False(File.Exists(_harness.Leader.StateMachine.CheckpointPath));
        Assert.Null(_harness.Leader.FindTopic("t"));
        Assert.Empty(StoreAssertions.ConsumeQueueFiles(_harness.Leader));
        Assert.Empty(_harness.Leader.QueryByKey("t", "key-0", 10, 0, long.MaxValue));
        var recovered = _harness.Crash("n0");
        Assert.Equal(before, StoreAssertions.Observe(recovered, Queues));
        Assert.Equal(files, StoreAssertions.ConsumeQueueFiles(recovered));
        Assert.NotNull(recovered.FindTopic("t"));
    }

    [Fact]
    public async Task Restart_without_any_checkpoint_rederives_everything_from_the_log()
    {
        await PutAsync(6);
        var before = StoreAssertions.Observe(_harness.Leader, Queues);
        var files = StoreAssertions.ConsumeQueueFiles(_harness.Leader);

        var recovered = _harness.Crash("n0");

        Assert.Equal(1, _harness.Logger.Count(2101)); // files without a checkpoint are not trusted
        Assert.Equal(before, StoreAssertions.Observe(recovered, Queues));
        Assert.Equal(files, StoreAssertions.ConsumeQueueFiles(recovered));
    }

    [Fact]
    public async Task Deleted_ConsumeQueue_directory_is_rebuilt_from_the_log_with_identical_content()
    {
        await PutAsync(9);
        await _harness.RestartAsync("n0");
        var before = StoreAssertions.Observe(_harness.Leader, Queues);
        var files = StoreAssertions.ConsumeQueueFiles(_harness.Leader);
        await _harness.Leader.StopAsync();

        Directory.Delete(Path.Combine(Directory0, "consumequeue", "t"), recursive: true);
        var recovered = _harness.Crash("n0");

        Assert.Equal(1, _harness.Logger.Count(2101));
        Assert.Equal(files, StoreAssertions.ConsumeQueueFiles(recovered));
        Assert.Equal(before, StoreAssertions.Observe(recovered, Queues));
    }

    [Fact]
    public async Task Short_ConsumeQueue_file_is_detected_and_rebuilt()
    {
        await PutAsync(9);
        var files = StoreAssertions.ConsumeQueueFiles(_harness.Leader);
        await _harness.Leader.StopAsync();
        string last = Directory.GetFiles(Path.Combine(Directory0, "consumequeue", "t", "0")).Max()!;
        using (var stream = new FileStream(last, FileMode.Open)) stream.SetLength(stream.Length - 20);

        var recovered = _harness.Crash("n0");

        Assert.Equal(1, _harness.Logger.Count(2101));
        Assert.Equal(files, StoreAssertions.ConsumeQueueFiles(recovered));
    }

    [Fact]
    public async Task Zeroed_ConsumeQueue_tail_is_detected_and_rebuilt()
    {
        await PutAsync(9);
        var before = StoreAssertions.Observe(_harness.Leader, Queues);
        await _harness.Leader.StopAsync();
        string last = Directory.GetFiles(Path.Combine(Directory0, "consumequeue", "u", "0")).Max()!;
        byte[] content = File.ReadAllBytes(last);
        Array.Clear(content, content.Length - 20, 20);
        File.WriteAllBytes(last, content);

        var recovered = _harness.Crash("n0");

        Assert.Equal(1, _harness.Logger.Count(2101));
        Assert.Equal(before, StoreAssertions.Observe(recovered, Queues));
    }

    [Fact]
    public async Task Unreadable_checkpoint_triggers_a_rebuild_from_the_log()
    {
        await PutAsync(4);
        await _harness.Leader.UpsertTopicAsync(new TopicConfig("t", 2, 2));
        var before = StoreAssertions.Observe(_harness.Leader, Queues);
        await _harness.Leader.StopAsync();
        File.WriteAllText(Path.Combine(Directory0, "checkpoint.json"), "{\"version\":1,\"appliedIn");

        var recovered = _harness.Crash("n0");

        Assert.Equal(1, _harness.Logger.Count(2101));
        Assert.Equal(before, StoreAssertions.Observe(recovered, Queues));
        Assert.Equal(new TopicConfig("t", 2, 2), recovered.FindTopic("t"));
    }

    [Fact]
    public async Task Key_index_survives_an_orderly_restart_without_replaying_the_log()
    {
        await PutAsync(6);
        var leader = _harness.Leader;
        var expected = leader.QueryByKey("u", "key-2", 10, 0, long.MaxValue);
        await leader.StopAsync();

        var reopened = _harness.Open("n0"); // nothing re-applied: AppliedIndex is the log's end

        Assert.Equal(_harness.Group.Entries.Count, reopened.StateMachine.AppliedIndex);
        Assert.Equal(expected, reopened.QueryByKey("u", "key-2", 10, 0, long.MaxValue));
        Assert.Single(expected);
    }

    [Fact]
    public async Task ConsumeQueue_files_below_log_retention_are_deleted_after_a_checkpoint_and_restart_keeps_them_gone()
    {
        var puts = new List<PutResult>();
        for (int i = 0; i < 10; i++) puts.Add(await _harness.Leader.PutMessagesAsync("t", 0, [TestMessages.Encode("t", 0, $"m{i}")]));
        long lastRemovedIndex = _harness.Group.Entries.Single(e => e.Pos + 48 == puts[5].PhysicalOffset).Index;
        _harness.Group.DiscardThrough(lastRemovedIndex, _harness.Leader.StateMachine.TakeSnapshot()); // messages 0..5 are gone

        _harness.Leader.StateMachine.WriteCheckpoint();

        string directory = Path.Combine(Directory0, "consumequeue", "t", "0");
        Assert.Equal(["00000000000000000080", "00000000000000000160"], Directory.GetFiles(directory).Select(Path.GetFileName).Order());
        var restarted = await _harness.RestartAsync("n0");
        Assert.Equal(0, _harness.Logger.Count(2101));
        Assert.Equal((6L, 10L), (restarted.GetMinOffset("t", 0), restarted.GetMaxOffset("t", 0)));
        var pulled = new ArrayBufferWriter<byte>();
        Assert.Equal(new GetResult(GetStatus.Found, 4, 10, 6, 10), restarted.GetMessages("t", 0, 6, 32, 1 << 20, null, pulled));
    }

    /// <summary>Messages i = 0..count-1 spread over the three queues, each with KEYS "{prefix}-{i}".</summary>
    private async Task PutAsync(int count, string keyPrefix = "key")
    {
        for (int i = 0; i < count; i++)
        {
            var (topic, queueId) = Queues[i % Queues.Length];
            var put = await _harness.Leader.PutMessagesAsync(topic, queueId,
                [TestMessages.Encode(topic, queueId, $"body-{i}", tags: $"tag{i % 2}", keys: $"{keyPrefix}-{i}", storeTimestamp: 1000 + i)]);
            Assert.Equal(StoreStatus.Ok, put.Status);
        }
    }
}
