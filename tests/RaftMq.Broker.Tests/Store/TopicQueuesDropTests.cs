using RaftMq.Broker.Store;
using RaftMq.Broker.Tests.Store.Fakes;
using RaftMq.Protocol.Bodies;

namespace RaftMq.Broker.Tests.Store;

/// <summary>deleteTopic and cleanUnusedTopic drop a topic's ConsumeQueues, consumer offsets and key-index hits through the
/// log: every replica drops the same queues at the same index, and a crash or snapshot never brings them back.</summary>
public sealed class TopicQueuesDropTests : IAsyncLifetime
{
    private const long Forever = long.MaxValue;
    private readonly StoreHarness _harness = new("n0", "n1", "n2");

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _harness.DisposeAsync().AsTask();

    [Fact]
    public async Task Deleting_a_topic_drops_its_queues_offsets_and_files_on_every_replica()
    {
        await CreateAndFillAsync("t", queues: 2, messages: 3);
        await CreateAndFillAsync("u", queues: 1, messages: 2);
        _harness.Leader.CommitConsumerOffset("g", "t", 0, 2);
        _harness.Leader.CommitConsumerOffset("g", "u", 0, 1);
        await _harness.Leader.CommitPendingConsumerOffsetsAsync();
        _harness.Group.CatchUpAll();
        foreach (var store in _harness.All) store.StateMachine.WriteCheckpoint();
        Assert.Contains(StoreAssertions.ConsumeQueueFiles(_harness["n1"]).Keys, path => path.StartsWith("t/", StringComparison.Ordinal));

        Assert.Equal(StoreStatus.Ok, await _harness.Leader.DeleteTopicAsync("t"));
        _harness.Group.CatchUpAll();

        byte[] leaderSnapshot = _harness.Leader.StateMachine.TakeSnapshot().ToArray();
        Assert.All(_harness.All, store =>
        {
            Assert.Null(store.FindTopic("t"));
            Assert.Equal((0L, 0L), (store.GetMinOffset("t", 0), store.GetMaxOffset("t", 1)));
            Assert.Equal(-1, store.QueryConsumerOffset("g", "t", 0));
            Assert.Equal(1, store.QueryConsumerOffset("g", "u", 0));
            Assert.Equal(2, store.GetMaxOffset("u", 0));
            Assert.Empty(store.QueryByKey("t", "t-key-0", 32, 0, Forever));
            Assert.Single(store.QueryByKey("u", "u-key-0", 32, 0, Forever));
            Assert.Equal(leaderSnapshot, store.StateMachine.TakeSnapshot().ToArray());
            store.StateMachine.WriteCheckpoint();
            Assert.DoesNotContain(StoreAssertions.ConsumeQueueFiles(store).Keys, path => path.StartsWith("t/", StringComparison.Ordinal));
            Assert.False(Directory.Exists(Path.Combine(store.Options.StoreDirectory, "consumequeue", "t")));
        });
    }

    [Fact]
    public async Task A_recreated_topic_starts_at_offset_0_and_its_keys_find_only_its_own_messages()
    {
        await CreateAndFillAsync("t", queues: 1, messages: 3);
        Assert.Equal(StoreStatus.Ok, await _harness.Leader.DeleteTopicAsync("t"));

        await _harness.Leader.UpsertTopicAsync(new TopicConfig("t", 1, 1));
        var put = await _harness.Leader.PutMessagesAsync("t", 0, [TestMessages.Encode("t", 0, "again", keys: "t-key-0")]);
        _harness.Group.CatchUpAll();

        Assert.Equal((StoreStatus.Ok, 0L), (put.Status, put.QueueOffset));
        Assert.All(_harness.All, store =>
        {
            Assert.Equal(1, store.GetMaxOffset("t", 0));
            Assert.Equal([put.PhysicalOffset], store.QueryByKey("t", "t-key-0", 32, 0, Forever));
        });
    }

    [Fact]
    public async Task Clean_up_drops_unused_topics_and_keeps_system_topics_and_known_groups_retry_topics()
    {
        await CreateAndFillAsync("kept", queues: 1, messages: 1);
        foreach (string topic in new[] { "orphan", "%RETRY%gone", "%RETRY%known", "RMQ_SYS_TRACE_TOPIC", "SCHEDULE_TOPIC_XXXX" })
        {
            Assert.Equal(StoreStatus.Ok, (await _harness.Leader.PutMessagesAsync(topic, 0, [TestMessages.Encode(topic, 0, "x")])).Status);
        }
        _harness.Leader.CommitConsumerOffset("known", "%RETRY%known", 0, 1);
        _harness.Leader.CommitConsumerOffset("g", "vanished", 3, 7); // an offset of a topic without queues goes too
        await _harness.Leader.CommitPendingConsumerOffsetsAsync();

        var unused = _harness.Leader.UnusedTopics();
        var result = await _harness.Leader.DropTopicQueuesAsync(unused);
        _harness.Group.CatchUpAll();

        Assert.Equal(["%RETRY%gone", "orphan", "vanished"], unused);
        Assert.Equal(new TopicQueuesDropResult(StoreStatus.Ok, 2), result);
        Assert.All(_harness.All, store =>
        {
            Assert.Equal((0L, 0L), (store.GetMaxOffset("orphan", 0), store.GetMaxOffset("%RETRY%gone", 0)));
            Assert.Equal(-1, store.QueryConsumerOffset("g", "vanished", 3));
            foreach (string kept in new[] { "kept", "%RETRY%known", "RMQ_SYS_TRACE_TOPIC", "SCHEDULE_TOPIC_XXXX" }) Assert.Equal(1, store.GetMaxOffset(kept, 0));
            Assert.Empty(store.UnusedTopics());
        });
    }

    [Fact]
    public async Task A_topic_recreated_before_the_drop_applies_keeps_its_queues()
    {
        await CreateAndFillAsync("t", queues: 1, messages: 2);
        await _harness.Leader.DeleteTopicAsync("t");
        await CreateAndFillAsync("t", queues: 1, messages: 1);

        var result = await _harness.Leader.DropTopicQueuesAsync(["t"]); // proposed from a stale list: "t" exists again
        _harness.Group.CatchUpAll();

        Assert.Equal(new TopicQueuesDropResult(StoreStatus.Ok, 0), result);
        Assert.All(_harness.All, store => Assert.Equal(1, store.GetMaxOffset("t", 0)));
        Assert.Equal(new TopicQueuesDropResult(StoreStatus.NotLeader, 0), await _harness["n1"].DropTopicQueuesAsync(["t"]));
    }

    [Fact]
    public async Task A_crash_after_the_drop_but_before_a_checkpoint_drops_the_queues_again_without_a_rebuild()
    {
        await CreateAndFillAsync("t", queues: 2, messages: 3);
        _harness.Group.CatchUp("n1");
        _harness["n1"].StateMachine.WriteCheckpoint(); // lists t's queues
        await _harness.Leader.DeleteTopicAsync("t");
        await CreateAndFillAsync("t", queues: 1, messages: 1); // re-created before the crash: its files are unlisted too
        _harness.Group.CatchUp("n1");
        StoreAssertions.ConsumeQueueFiles(_harness["n1"]);

        var restarted = _harness.Crash("n1");

        Assert.Equal(0, _harness.Logger.Count(2101));
        Assert.Equal((1L, 0L), (restarted.GetMaxOffset("t", 0), restarted.GetMaxOffset("t", 1)));
        Assert.Equal(_harness.Leader.StateMachine.TakeSnapshot().ToArray(), restarted.StateMachine.TakeSnapshot().ToArray());
        Assert.Contains(StoreAssertions.ConsumeQueueFiles(restarted).Keys, path => path.Contains(".dropped-", StringComparison.Ordinal));
        restarted.StateMachine.WriteCheckpoint();
        _harness.Leader.StateMachine.WriteCheckpoint();
        Assert.DoesNotContain(StoreAssertions.ConsumeQueueFiles(restarted).Keys, path => path.Contains(".dropped-", StringComparison.Ordinal));
        Assert.Equal(StoreAssertions.ConsumeQueueFiles(_harness.Leader), StoreAssertions.ConsumeQueueFiles(restarted));
    }

    [Fact]
    public async Task A_follower_restored_from_a_snapshot_after_the_drop_has_the_same_state()
    {
        await CreateAndFillAsync("t", queues: 1, messages: 2);
        await _harness.Leader.DeleteTopicAsync("t");
        _harness.Group.CatchUp("n1");
        _harness.Group.DiscardThrough(_harness.Group.Entries.Count, _harness.Leader.StateMachine.TakeSnapshot());

        _harness.Group.CatchUpAll();

        Assert.Equal(_harness.Leader.StateMachine.TakeSnapshot().ToArray(), _harness["n2"].StateMachine.TakeSnapshot().ToArray());
        Assert.Equal(0, _harness["n2"].GetMaxOffset("t", 0));
    }

    private async Task CreateAndFillAsync(string topic, int queues, int messages)
    {
        Assert.Equal(StoreStatus.Ok, await _harness.Leader.UpsertTopicAsync(new TopicConfig(topic, queues, queues)));
        for (int i = 0; i < messages; i++)
        {
            for (int queueId = 0; queueId < queues; queueId++)
            {
                var put = await _harness.Leader.PutMessagesAsync(topic, queueId, [TestMessages.Encode(topic, queueId, $"{topic}-{i}", keys: $"{topic}-key-{i}")]);
                Assert.Equal(StoreStatus.Ok, put.Status);
            }
        }
    }
}
