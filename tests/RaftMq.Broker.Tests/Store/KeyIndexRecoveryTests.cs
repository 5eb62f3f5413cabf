using RaftMq.Broker.Store;
using RaftMq.Broker.Store.Index;
using RaftMq.Broker.Tests.Store.Fakes;

namespace RaftMq.Broker.Tests.Store;

/// <summary>The on-disk key index gives the same answers after restarts, crashes, failover and damaged files, because it
/// is derived from the log (harness geometry: 64 slots, 1000 entries per file).</summary>
public sealed class KeyIndexRecoveryTests : IAsyncLifetime
{
    private const int SlotTableOffset = 96;
    private readonly StoreHarness _harness = new("n0", "n1", "n2");
    private readonly List<long> _offsets = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _harness.DisposeAsync().AsTask();

    private string IndexDirectory(string node) => Path.Combine(_harness.StoreDirectory(node), "index");

    [Fact]
    public async Task Old_and_new_keys_answer_the_same_after_an_orderly_restart_and_after_a_crash()
    {
        await PutAsync(0, 40);
        _harness.Leader.StateMachine.WriteCheckpoint();
        await PutAsync(40, 20);
        var expected = Answers(_harness.Leader, 60);

        var restarted = await _harness.RestartAsync("n0");
        Assert.Equal(expected, Answers(restarted, 60));
        Assert.Equal(0, _harness.Logger.Count(2110)); // an orderly stop leaves a slot table that is trusted

        await PutAsync(60, 5);
        var crashed = _harness.Crash("n0");

        Assert.Equal(1, _harness.Logger.Count(2110)); // the slot table is derived again from the durable entries
        Assert.Equal(Answers(_harness.Leader, 65), Answers(crashed, 65));
        Assert.Equal(expected, Answers(crashed, 60));
        Assert.All(Answers(crashed, 65), answer => Assert.Single(answer));
    }

    [Fact]
    public async Task An_index_flushed_after_the_checkpoint_is_not_indexed_twice_when_the_entries_are_replayed()
    {
        await PutAsync(0, 10);
        _harness.Leader.StateMachine.WriteCheckpoint();
        string checkpoint = _harness.Leader.StateMachine.CheckpointPath;
        byte[] earlierCheckpoint = File.ReadAllBytes(checkpoint);
        await PutAsync(10, 10);
        await _harness.Leader.StopAsync(); // index durable up to entry 20, checkpoint then put back to entry 10
        File.WriteAllBytes(checkpoint, earlierCheckpoint);

        var reopened = _harness.Open("n0");
        _harness.Group.CatchUp("n0");

        Assert.All(Answers(reopened, 20), answer => Assert.Single(answer));
        Assert.Equal(_offsets[15], Assert.Single(reopened.QueryByKey("t", "key-15", 32, 0, long.MaxValue)));
    }

    [Fact]
    public async Task Followers_answer_like_the_leader_and_old_keys_survive_a_failover()
    {
        await PutAsync(0, 30);
        _harness.Group.CatchUpAll();
        var expected = Answers(_harness.Leader, 30);
        Assert.Equal(expected, Answers(_harness["n1"], 30));
        Assert.Equal(expected, Answers(_harness["n2"], 30));

        _harness.Group.ElectLeader("n1");
        await PutAsync(30, 10);
        _harness.Group.CatchUpAll();

        foreach (var store in _harness.All)
        {
            Assert.Equal(expected, Answers(store, 30));
            Assert.Equal(Answers(_harness["n1"], 40), Answers(store, 40));
        }
    }

    [Theory]
    [InlineData("entries of a sealed file", 0, 8000)]
    [InlineData("header of a sealed file", 0, 20)]
    [InlineData("slot table of a sealed file", 0, SlotTableOffset + 8)]
    [InlineData("entries of the active file", 1, SlotTableOffset + (64 * 4) + 4)]
    [InlineData("header of the active file", 1, 60)]
    public async Task A_damaged_index_file_is_detected_and_rebuilt_from_the_log(string what, int fileNumber, int bytePosition)
    {
        // 700 messages with two keys each: 1400 entries, a full (sealed) first file and an active second one.
        await PutAsync(0, 700, uniqueKeys: true);
        var expected = Answers(_harness.Leader, 700);
        await _harness.Leader.StopAsync();
        string[] files = Directory.GetFiles(IndexDirectory("n0"), "*.idx").Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(2, files.Length);
        FlipByte(files[fileNumber], bytePosition);

        var reopened = _harness.Open("n0");
        await reopened.StartAsync();

        Assert.True(_harness.Logger.Count(2109) == 1, what);
        Assert.Equal(1, _harness.Logger.Count(2111)); // caught up from the log
        Assert.Equal(expected, Answers(reopened, 700));
        Assert.Equal(_offsets[3], Assert.Single(reopened.QueryByKey("t", "U-3", 32, 0, long.MaxValue)));
        await PutAsync(700, 1); // and it keeps indexing where the rebuild ended
        Assert.Equal(_offsets[700], Assert.Single(reopened.QueryByKey("t", "key-700", 32, 0, long.MaxValue)));
    }

    [Fact]
    public async Task Keys_whose_hashes_collide_are_told_apart_by_the_messages()
    {
        Assert.Equal(KeyIndex.Hash("t", "Aa"), KeyIndex.Hash("t", "BB")); // Java's String.hashCode collides on these
        var aa = await _harness.Leader.PutMessagesAsync("t", 0, [TestMessages.Encode("t", 0, "1", keys: "Aa", storeTimestamp: 5000)]);
        var bb = await _harness.Leader.PutMessagesAsync("t", 0, [TestMessages.Encode("t", 0, "2", keys: "BB", storeTimestamp: 5000)]);
        var both = await _harness.Leader.PutMessagesAsync("t", 1, [TestMessages.Encode("t", 1, "3", keys: "BB Aa", storeTimestamp: 6000)]);

        Assert.Equal([aa.PhysicalOffset, both.PhysicalOffset], _harness.Leader.QueryByKey("t", "Aa", 32, 0, long.MaxValue));
        Assert.Equal([bb.PhysicalOffset, both.PhysicalOffset], _harness.Leader.QueryByKey("t", "BB", 32, 0, long.MaxValue));
        Assert.Equal([bb.PhysicalOffset], _harness.Leader.QueryByKey("t", "BB", 32, 0, 5999));
        Assert.Equal([both.PhysicalOffset], _harness.Leader.QueryByKey("t", "BB", 1, 0, long.MaxValue));
        Assert.Empty(_harness.Leader.QueryByKey("u", "Aa", 32, 0, long.MaxValue));
    }

    [Fact]
    public async Task Index_files_whose_messages_retention_removed_are_deleted_at_the_checkpoint()
    {
        await PutAsync(0, 600, uniqueKeys: true); // 1200 entries: a sealed file and an active one
        await PutAsync(600, 600, uniqueKeys: true); // 2400: two sealed files
        long lastIndexOfFirstFile = _harness.Group.Entries.Single(e => e.Pos + 48 == _offsets[520]).Index;
        _harness.Group.DiscardThrough(lastIndexOfFirstFile, _harness.Leader.StateMachine.TakeSnapshot());

        _harness.Leader.StateMachine.WriteCheckpoint();

        Assert.Equal(2, _harness.Leader.StateMachine.KeyIndexFileCount);
        Assert.Equal(2, Directory.GetFiles(IndexDirectory("n0"), "*.idx").Length);
        Assert.Equal(_offsets[1100], Assert.Single(_harness.Leader.QueryByKey("t", "key-1100", 32, 0, long.MaxValue)));
        Assert.Empty(_harness.Leader.QueryByKey("t", "key-10", 32, 0, long.MaxValue));
    }

    /// <summary>Per message i: topic t, queue i % 2, key <c>key-i</c> (and UNIQ_KEY <c>U-i</c>), stored at 1,000,000 + 500·i ms.</summary>
    private async Task PutAsync(int from, int count, bool uniqueKeys = false)
    {
        for (int i = from; i < from + count; i++)
        {
            var put = await _harness.Leader.PutMessagesAsync("t", i % 2,
                [TestMessages.Encode("t", i % 2, $"body-{i}", keys: $"key-{i}", uniqueKey: uniqueKeys ? $"U-{i}" : null, storeTimestamp: 1_000_000 + (500L * i))]);
            Assert.Equal(StoreStatus.Ok, put.Status);
            _offsets.Add(put.PhysicalOffset);
        }
    }

    private static List<IReadOnlyList<long>> Answers(MessageStore store, int count) =>
        Enumerable.Range(0, count).Select(i => store.QueryByKey("t", $"key-{i}", 32, 0, long.MaxValue)).ToList();

    private static void FlipByte(string path, long position)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        stream.Position = position;
        int value = stream.ReadByte();
        stream.Position = position;
        stream.WriteByte((byte)(value ^ 0x5A));
    }
}
