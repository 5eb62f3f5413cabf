using System.Buffers;
using System.Buffers.Binary;
using RaftMq.Broker.Store;
using RaftMq.Broker.Store.Control;
using RaftMq.Broker.Tests.Store.Fakes;
using RaftMq.Consensus.Core;
using RaftMq.Protocol.Bodies;

namespace RaftMq.Broker.Tests.Store;

public sealed class ReplicaConsistencyTests : IAsyncLifetime
{
    private static readonly (string, int)[] Queues = [("t", 0), ("t", 1), ("u", 0)];
    private readonly StoreHarness _harness = new("n0", "n1", "n2");

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _harness.DisposeAsync().AsTask();

    [Fact]
    public async Task Replicas_have_identical_ConsumeQueues_and_queue_offsets_after_a_leader_change()
    {
        var offsets = new List<long>();
        offsets.AddRange(await PutRoundAsync(0, 5));
        _harness.Group.CatchUp("n1"); // n2 lags behind the whole first term
        _harness.Group.ElectLeader("n1", applyOnLeader: false);
        _harness.Group.CatchUp("n1");
        offsets.AddRange(await PutRoundAsync(5, 5));
        _harness.Group.ElectLeader("n2", applyOnLeader: false);
        _harness.Group.CatchUp("n2"); // applies term 1 and term 2 entries, then its own noop
        offsets.AddRange(await PutRoundAsync(10, 5));
        _harness.Group.CatchUpAll();

        Assert.Equal(Enumerable.Range(0, 15).SelectMany(round => Enumerable.Repeat((long)round, Queues.Length)), offsets);
        var leaderView = StoreAssertions.Observe(_harness["n0"], Queues);
        var leaderFiles = StoreAssertions.ConsumeQueueFiles(_harness["n0"]);
        Assert.NotEmpty(leaderFiles);
        foreach (string node in new[] { "n1", "n2" })
        {
            Assert.Equal(leaderView, StoreAssertions.Observe(_harness[node], Queues));
            Assert.Equal(leaderFiles, StoreAssertions.ConsumeQueueFiles(_harness[node]));
            Assert.Equal(_harness["n0"].StateMachine.TakeSnapshot().ToArray(), _harness[node].StateMachine.TakeSnapshot().ToArray());
        }
    }

    [Fact]
    public async Task Malformed_entry_bodies_are_skipped_identically_on_every_replica()
    {
        await PutRoundAsync(0, 1);
        byte[] badMessage = TestMessages.Encode("t", 0, "bad");
        BinaryPrimitives.WriteInt32BigEndian(badMessage, badMessage.Length + 5); // TOTALSIZE lies
        _harness.Group.AppendRaw(badMessage);
        _harness.Group.AppendRaw(ControlRecord.Encode(ControlRecordType.TopicUpsert, "{not json"u8));
        _harness.Group.AppendRaw(ControlRecord.Encode((ControlRecordType)77, "{}"u8));
        _harness.Group.AppendRaw(new byte[] { 1, 2, 3 });
        await PutRoundAsync(1, 1);
        _harness.Group.CatchUpAll();

        Assert.Equal(3 * 4, _harness.Logger.Count(2102)); // four bad entries, on each of three replicas
        var expected = StoreAssertions.Observe(_harness["n0"], Queues);
        Assert.Equal(2, expected[("t", 0)].Max);
        Assert.Equal(expected, StoreAssertions.Observe(_harness["n1"], Queues));
        Assert.Equal(expected, StoreAssertions.Observe(_harness["n2"], Queues));
        Assert.All(_harness.All, store => Assert.Equal(_harness.Group.Entries.Count, store.StateMachine.AppliedIndex));
    }

    [Fact]
    public async Task Follower_restored_from_a_snapshot_continues_with_the_leaders_queue_offsets()
    {
        await PutRoundAsync(0, 4);
        await _harness.Leader.UpsertTopicAsync(new TopicConfig("t", 2, 2));
        _harness.Leader.CommitConsumerOffset("g", "t", 0, 3);
        await _harness.Leader.CommitPendingConsumerOffsetsAsync();
        _harness.Group.CatchUp("n1");
        // Retention dropped everything n2 never saw: it must start from the snapshot.
        _harness.Group.DiscardThrough(_harness.Group.Entries.Count, _harness.Leader.StateMachine.TakeSnapshot());
        await PutRoundAsync(4, 2);

        _harness.Group.CatchUpAll();

        var restored = _harness["n2"];
        Assert.Equal(1, _harness.Logger.Count(2103));
        Assert.Equal(_harness.Group.Entries.Count, restored.StateMachine.AppliedIndex);
        Assert.Equal(new TopicConfig("t", 2, 2), restored.FindTopic("t"));
        Assert.Equal(3, restored.QueryConsumerOffset("g", "t", 0));
        Assert.Equal((4L, 6L), (restored.GetMinOffset("t", 0), restored.GetMaxOffset("t", 0)));
        var fromLeader = new ArrayBufferWriter<byte>();
        var fromRestored = new ArrayBufferWriter<byte>();
        Assert.Equal(GetStatus.Found, _harness["n0"].GetMessages("t", 0, 4, 10, 1 << 20, null, fromLeader).Status);
        Assert.Equal(GetStatus.Found, restored.GetMessages("t", 0, 4, 10, 1 << 20, null, fromRestored).Status);
        Assert.Equal(fromLeader.WrittenSpan.ToArray(), fromRestored.WrittenSpan.ToArray());
        Assert.Equal(GetStatus.OffsetTooSmall, restored.GetMessages("t", 0, 0, 10, 1 << 20, null, new ArrayBufferWriter<byte>()).Status);
    }

    [Fact]
    public async Task Restored_snapshot_survives_a_restart_of_the_follower()
    {
        await PutRoundAsync(0, 3);
        _harness.Group.DiscardThrough(_harness.Group.Entries.Count, _harness.Leader.StateMachine.TakeSnapshot());
        await PutRoundAsync(3, 1);
        _harness.Group.CatchUp("n2");
        var before = StoreAssertions.Observe(_harness["n2"], Queues);

        var restarted = await _harness.RestartAsync("n2");

        Assert.Equal(before, StoreAssertions.Observe(restarted, Queues));
        Assert.Equal((3L, 4L), (restarted.GetMinOffset("t", 0), restarted.GetMaxOffset("t", 0)));
    }

    /// <summary>Puts one message to each queue per round on the current leader; returns the assigned queue offsets.</summary>
    private async Task<List<long>> PutRoundAsync(int firstRound, int rounds)
    {
        var offsets = new List<long>();
        for (int round = firstRound; round < firstRound + rounds; round++)
        {
            foreach (var (topic, queueId) in Queues)
            {
                var put = await _harness.Leader.PutMessagesAsync(topic, queueId,
                    [TestMessages.Encode(topic, queueId, $"{topic}{queueId}-{round}", tags: "x", uniqueKey: $"{topic}-{queueId}-{round}")]);
                Assert.Equal(StoreStatus.Ok, put.Status);
                offsets.Add(put.QueueOffset);
            }
        }
        return offsets;
    }
}
