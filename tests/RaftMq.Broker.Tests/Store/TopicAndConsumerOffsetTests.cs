using RaftMq.Broker.Store;
using RaftMq.Broker.Store.Control;
using RaftMq.Broker.Tests.Store.Fakes;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Codes;

namespace RaftMq.Broker.Tests.Store;

public sealed class TopicAndConsumerOffsetTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly StoreHarness _harness = new("n0", "n1", "n2");

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _harness.DisposeAsync().AsTask();

    [Fact]
    public async Task Topic_upsert_and_delete_go_through_the_log_and_reach_every_replica()
    {
        Assert.Equal(StoreStatus.Ok, await _harness.Leader.UpsertTopicAsync(new TopicConfig("orders", 8, 8)));
        Assert.Equal(StoreStatus.Ok, await _harness.Leader.UpsertTopicAsync(new TopicConfig("orders", 16, 16, PermName.Read)));
        Assert.Equal(StoreStatus.Ok, await _harness.Leader.UpsertTopicAsync(new TopicConfig("audit", 1, 1, order: true)));
        Assert.Equal(StoreStatus.Ok, await _harness.Leader.DeleteTopicAsync("audit"));
        _harness.Group.CatchUpAll();

        foreach (var store in _harness.All)
        {
            Assert.Equal(new TopicConfig("orders", 16, 16, PermName.Read), store.FindTopic("orders"));
            Assert.Null(store.FindTopic("audit"));
            Assert.Single(store.Topics);
        }
        Assert.Equal(StoreStatus.TopicNotFound, await _harness.Leader.DeleteTopicAsync("audit"));
    }

    [Fact]
    public async Task Followers_refuse_writes_with_not_leader_and_name_the_leader()
    {
        var follower = _harness["n1"];

        Assert.False(follower.IsWritable);
        Assert.Equal(new PutResult(StoreStatus.NotLeader, -1, -1, "n0"),
            await follower.PutMessagesAsync("t", 0, [TestMessages.Encode("t", 0, "x")]));
        Assert.Equal(StoreStatus.NotLeader, await follower.UpsertTopicAsync(new TopicConfig("t", 1, 1)));
        follower.CommitConsumerOffset("g", "t", 0, 5);
        Assert.Equal(-1, follower.QueryConsumerOffset("g", "t", 0));
    }

    [Fact]
    public async Task New_leader_becomes_writable_only_after_applying_its_own_noop()
    {
        var roleChanges = new List<bool>();
        var candidate = _harness["n1"];
        candidate.RoleChanged += roleChanges.Add;
        await candidate.StartAsync();

        _harness.Group.ElectLeader("n1", applyOnLeader: false);

        Assert.False(candidate.IsWritable);
        Assert.Equal(StoreStatus.NotLeader, (await candidate.PutMessagesAsync("t", 0, [TestMessages.Encode("t", 0, "x")])).Status);
        _harness.Group.CatchUp("n1");
        Assert.True(candidate.IsWritable);
        Assert.Equal([true], roleChanges);
        Assert.False(_harness["n0"].IsWritable);
    }

    [Fact]
    public async Task Committed_offsets_are_read_from_the_pending_map_first_and_reach_followers_through_the_log()
    {
        var leader = _harness.Leader;
        leader.CommitConsumerOffset("g", "t", 0, 7);
        leader.CommitConsumerOffset("g", "t", 1, 3);

        Assert.Equal(7, leader.QueryConsumerOffset("g", "t", 0));
        Assert.Equal(-1, _harness["n1"].QueryConsumerOffset("g", "t", 0));
        Assert.Equal(StoreStatus.Ok, await leader.CommitPendingConsumerOffsetsAsync());
        _harness.Group.CatchUpAll();

        foreach (var store in _harness.All)
        {
            Assert.Equal(7, store.QueryConsumerOffset("g", "t", 0));
            Assert.Equal(new Dictionary<(string, int), long> { [("t", 0)] = 7, [("t", 1)] = 3 }, store.ConsumerOffsets("g"));
            Assert.Equal(["g"], store.ConsumerGroups);
        }
    }

    [Fact]
    public async Task After_failover_the_new_leader_serves_the_offsets_the_old_leader_committed()
    {
        _harness.Leader.CommitConsumerOffset("g", "t", 0, 41);
        await _harness.Leader.CommitPendingConsumerOffsetsAsync();
        _harness.Leader.CommitConsumerOffset("g", "t", 0, 42);
        await _harness.Leader.CommitPendingConsumerOffsetsAsync();

        _harness.Group.CatchUp("n2");
        _harness.Group.ElectLeader("n2");

        Assert.Equal(42, _harness["n2"].QueryConsumerOffset("g", "t", 0));
    }

    [Fact]
    public async Task Offset_commits_are_coalesced_into_one_log_entry_per_interval()
    {
        var leader = _harness.Leader;
        await leader.StartAsync();
        await WaitUntilAsync(() => _harness.Time.PendingTimers == 2); // checkpoint loop and offset committer wait
        int entriesBefore = _harness.Group.Entries.Count;

        for (long offset = 1; offset <= 50; offset++) leader.CommitConsumerOffset("g", "t", 0, offset);
        leader.CommitConsumerOffset("g", "t", 1, 9);
        leader.CommitConsumerOffset("h", "u", 0, 4);
        Assert.Equal(entriesBefore, _harness.Group.Entries.Count);

        _harness.Time.Advance(leader.Options.ConsumerOffsetCommitInterval);
        await WaitUntilAsync(() => OffsetEntries().Count == 1);
        await WaitUntilAsync(() => _harness.Time.PendingTimers == 2);
        Assert.Equal(
            [new ConsumerOffsetRecord("g", "t", 0, 50), new ConsumerOffsetRecord("g", "t", 1, 9), new ConsumerOffsetRecord("h", "u", 0, 4)],
            OffsetEntries()[0]);

        _harness.Time.Advance(leader.Options.ConsumerOffsetCommitInterval);
        await WaitUntilAsync(() => _harness.Time.PendingTimers == 2);
        Assert.Single(OffsetEntries()); // nothing changed: no entry

        leader.CommitConsumerOffset("g", "t", 1, 10);
        _harness.Time.Advance(leader.Options.ConsumerOffsetCommitInterval);
        await WaitUntilAsync(() => OffsetEntries().Count == 2);
        Assert.Equal([new ConsumerOffsetRecord("g", "t", 1, 10)], OffsetEntries()[1]);
    }

    private List<IReadOnlyList<ConsumerOffsetRecord>> OffsetEntries()
    {
        var records = new List<IReadOnlyList<ConsumerOffsetRecord>>();
        foreach (var entry in _harness.Group.Entries)
        {
            if (ControlRecord.TryParse(entry.Body, out var type, out var payload) && type == ControlRecordType.ConsumerOffsets)
            {
                records.Add(System.Text.Json.JsonSerializer.Deserialize(payload.Span, StoreJsonContext.Default.ConsumerOffsetsPayload)!.Offsets);
            }
        }
        return records;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached within the deadline");
            await Task.Delay(10);
        }
    }
}
