using System.Buffers;
using RaftMq.Broker.Store;
using RaftMq.Broker.Tests.Store.Fakes;
using RaftMq.Consensus.Core;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Messages;

namespace RaftMq.Broker.Tests.Store;

public sealed class MessageStoreDispatchTests : IAsyncLifetime
{
    private readonly StoreHarness _harness = new();

    private MessageStore Store => _harness.Leader;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _harness.DisposeAsync().AsTask();

    [Fact]
    public async Task Put_then_get_returns_the_messages_with_queue_and_physical_offsets_patched()
    {
        var first = await Store.PutMessagesAsync("orders", 1, [TestMessages.Encode("orders", 1, "a")]);
        var second = await Store.PutMessagesAsync("orders", 1, [TestMessages.Encode("orders", 1, "b")]);

        Assert.Equal(new PutResult(StoreStatus.Ok, 0, first.PhysicalOffset, "n0"), first);
        Assert.Equal(1, second.QueueOffset);
        var entries = _harness.Group.Entries;
        Assert.Equal(entries[1].Pos + EntryLayout.HeaderSize, first.PhysicalOffset); // entry 1 is the noop
        Assert.Equal(entries[2].Pos + EntryLayout.HeaderSize, second.PhysicalOffset);

        var buffer = new ArrayBufferWriter<byte>();
        var result = Store.GetMessages("orders", 1, 0, 32, 1 << 20, null, buffer);

        Assert.Equal(new GetResult(GetStatus.Found, 2, 2, 0, 2), result);
        var messages = TestMessages.Decode(buffer.WrittenSpan);
        Assert.Equal(["a", "b"], messages.Select(m => System.Text.Encoding.UTF8.GetString(m.Body)));
        Assert.Equal([0L, 1L], messages.Select(m => m.QueueOffset));
        Assert.Equal([first.PhysicalOffset, second.PhysicalOffset], messages.Select(m => m.PhysicalOffset));
        Assert.Equal(OffsetMessageId.Create(TestMessages.StoreHost, first.PhysicalOffset), messages[0].OffsetMsgId);
    }

    [Fact]
    public async Task Batch_put_appends_contiguous_entries_and_returns_the_first_queue_offset()
    {
        await Store.PutMessagesAsync("orders", 0, [TestMessages.Encode("orders", 0, "x")]);
        var batch = await Store.PutMessagesAsync("orders", 0,
            [TestMessages.Encode("orders", 0, "b1"), TestMessages.Encode("orders", 0, "b2"), TestMessages.Encode("orders", 0, "b3")]);

        Assert.Equal(StoreStatus.Ok, batch.Status);
        Assert.Equal(1, batch.QueueOffset);
        Assert.Equal(4, Store.GetMaxOffset("orders", 0));
        var entries = _harness.Group.Entries;
        Assert.Equal([3L, 4L, 5L], entries.Skip(2).Select(e => e.Index));
        Assert.Equal(batch.PhysicalOffset, entries[2].Pos + EntryLayout.HeaderSize);
    }

    [Fact]
    public async Task Queue_offsets_are_counted_per_queue_in_log_order()
    {
        foreach (var (topic, queueId) in new[] { ("a", 0), ("a", 1), ("b", 0), ("a", 0), ("a", 0), ("b", 0) })
        {
            await Store.PutMessagesAsync(topic, queueId, [TestMessages.Encode(topic, queueId, "m")]);
        }

        Assert.Equal(3, Store.GetMaxOffset("a", 0));
        Assert.Equal(1, Store.GetMaxOffset("a", 1));
        Assert.Equal(2, Store.GetMaxOffset("b", 0));
        Assert.Equal(0, Store.GetMaxOffset("b", 1));
    }

    [Fact]
    public async Task Tag_filter_skips_units_whose_tag_hash_does_not_match()
    {
        await Store.PutMessagesAsync("t", 0, [TestMessages.Encode("t", 0, "1", tags: "TagA")]);
        await Store.PutMessagesAsync("t", 0, [TestMessages.Encode("t", 0, "2", tags: "TagB")]);
        await Store.PutMessagesAsync("t", 0, [TestMessages.Encode("t", 0, "3")]);
        await Store.PutMessagesAsync("t", 0, [TestMessages.Encode("t", 0, "4", tags: "TagA")]);
        long tagA = JavaStringHash.TagsCode("TagA");

        var buffer = new ArrayBufferWriter<byte>();
        var found = Store.GetMessages("t", 0, 0, 32, 1 << 20, code => code == tagA, buffer);
        var none = Store.GetMessages("t", 0, 1, 1, 1 << 20, code => code == 42, new ArrayBufferWriter<byte>());

        Assert.Equal(new GetResult(GetStatus.Found, 2, 4, 0, 4), found);
        Assert.Equal(["1", "4"], TestMessages.Decode(buffer.WrittenSpan).Select(m => System.Text.Encoding.UTF8.GetString(m.Body)));
        Assert.Equal([0L, 3L], TestMessages.Decode(buffer.WrittenSpan).Select(m => m.QueueOffset));
        Assert.Equal(new GetResult(GetStatus.NoMatchedMessage, 0, 4, 0, 4), none);
    }

    [Fact]
    public async Task Record_filter_drops_rejected_messages_and_the_next_offset_moves_past_them()
    {
        foreach (string tag in new[] { "TagA", "TagB", "TagA", "TagB" })
        {
            await Store.PutMessagesAsync("t", 0, [TestMessages.Encode("t", 0, tag, tags: tag)]);
        }
        var selector = RaftMq.Broker.Filter.Sql92Filter.Compile("TAGS = 'TagB'");

        var buffer = new ArrayBufferWriter<byte>();
        var found = Store.GetMessages("t", 0, 0, 32, 1 << 20, null, buffer, selector.MatchesRecord);
        var none = Store.GetMessages("t", 0, 0, 32, 1 << 20, null, new ArrayBufferWriter<byte>(), _ => false);

        Assert.Equal(new GetResult(GetStatus.Found, 2, 4, 0, 4), found);
        Assert.Equal([1L, 3L], TestMessages.Decode(buffer.WrittenSpan).Select(m => m.QueueOffset));
        Assert.Equal(new GetResult(GetStatus.NoMatchedMessage, 0, 4, 0, 4), none);
    }

    [Fact]
    public async Task Get_reports_pull_offset_states_like_RocketMQ()
    {
        var sink = new ArrayBufferWriter<byte>();
        Assert.Equal(GetStatus.NoMatchedLogicQueue, Store.GetMessages("t", 0, 0, 1, 1024, null, sink).Status);
        await Store.PutMessagesAsync("t", 0, [TestMessages.Encode("t", 0, "1"), TestMessages.Encode("t", 0, "2")]);

        Assert.Equal(new GetResult(GetStatus.OffsetOverflowOne, 0, 2, 0, 2), Store.GetMessages("t", 0, 2, 1, 1024, null, sink));
        Assert.Equal(new GetResult(GetStatus.OffsetOverflowBadly, 0, 2, 0, 2), Store.GetMessages("t", 0, 7, 1, 1024, null, sink));
        Assert.Equal(new GetResult(GetStatus.OffsetTooSmall, 0, 0, 0, 2), Store.GetMessages("t", 0, -1, 1, 1024, null, sink));
        Assert.Equal(0, sink.WrittenCount);
    }

    [Fact]
    public async Task Get_stops_before_max_bytes_but_always_returns_at_least_one_message()
    {
        var messages = Enumerable.Range(0, 3).Select(i => (ReadOnlyMemory<byte>)TestMessages.Encode("t", 0, new string('x', 100))).ToList();
        await Store.PutMessagesAsync("t", 0, messages);

        var buffer = new ArrayBufferWriter<byte>();
        var result = Store.GetMessages("t", 0, 0, 32, maxBytes: messages[0].Length + 10, null, buffer);
        var tiny = Store.GetMessages("t", 0, 1, 32, maxBytes: 1, null, new ArrayBufferWriter<byte>());

        Assert.Equal(new GetResult(GetStatus.Found, 1, 1, 0, 3), result);
        Assert.Equal(messages[0].Length, buffer.WrittenCount);
        Assert.Equal(new GetResult(GetStatus.Found, 1, 2, 0, 3), tiny);
    }

    [Fact]
    public async Task Min_offset_moves_past_messages_removed_by_log_retention()
    {
        for (int i = 0; i < 6; i++) await Store.PutMessagesAsync("t", 0, [TestMessages.Encode("t", 0, $"m{i}")]);

        _harness.Group.DiscardThrough(4, Store.StateMachine.TakeSnapshot()); // noop + first three messages

        Assert.Equal(3, Store.GetMinOffset("t", 0));
        Assert.Equal(6, Store.GetMaxOffset("t", 0));
        var result = Store.GetMessages("t", 0, 1, 32, 1 << 20, null, new ArrayBufferWriter<byte>());
        Assert.Equal(new GetResult(GetStatus.OffsetTooSmall, 0, 3, 3, 6), result);
    }

    [Fact]
    public async Task Search_by_time_finds_the_first_message_stored_at_or_after_the_time()
    {
        long[] times = [1000, 2000, 2000, 3000, 5000];
        foreach (long time in times) await Store.PutMessagesAsync("t", 0, [TestMessages.Encode("t", 0, "m", storeTimestamp: time)]);

        Assert.Equal(0, Store.SearchOffsetByTime("t", 0, 500));
        Assert.Equal(1, Store.SearchOffsetByTime("t", 0, 2000));
        Assert.Equal(3, Store.SearchOffsetByTime("t", 0, 2500));
        Assert.Equal(5, Store.SearchOffsetByTime("t", 0, 9000));
        Assert.Equal(1000, Store.GetEarliestStoreTime("t", 0));
        Assert.Equal(-1, Store.GetEarliestStoreTime("t", 1));
    }

    [Fact]
    public async Task Query_by_key_finds_messages_by_KEYS_and_UNIQ_KEY_within_the_time_range()
    {
        var a = await Store.PutMessagesAsync("t", 0, [TestMessages.Encode("t", 0, "1", keys: "order-1 customer-9", uniqueKey: "U1", storeTimestamp: 1000)]);
        var b = await Store.PutMessagesAsync("t", 1, [TestMessages.Encode("t", 1, "2", keys: "order-2 customer-9", uniqueKey: "U2", storeTimestamp: 2000)]);
        await Store.PutMessagesAsync("other", 0, [TestMessages.Encode("other", 0, "3", keys: "customer-9", storeTimestamp: 1500)]);

        Assert.Equal([a.PhysicalOffset, b.PhysicalOffset], Store.QueryByKey("t", "customer-9", 10, 0, long.MaxValue));
        Assert.Equal([a.PhysicalOffset], Store.QueryByKey("t", "order-1", 10, 0, long.MaxValue));
        Assert.Equal([b.PhysicalOffset], Store.QueryByKey("t", "U2", 10, 0, long.MaxValue));
        Assert.Equal([b.PhysicalOffset], Store.QueryByKey("t", "customer-9", 10, 1500, 2500));
        Assert.Equal([b.PhysicalOffset], Store.QueryByKey("t", "customer-9", 1, 0, long.MaxValue));
        Assert.Empty(Store.QueryByKey("t", "U3", 10, 0, long.MaxValue));
    }

    [Fact]
    public async Task Read_by_physical_offset_patches_offsets_and_refuses_positions_that_are_not_dispatched_messages()
    {
        await Store.PutMessagesAsync("t", 0, [TestMessages.Encode("t", 0, "first")]);
        var put = await Store.PutMessagesAsync("t", 0, [TestMessages.Encode("t", 0, "second")]);
        await Store.UpsertTopicAsync(new TopicConfig("t", 4, 4));
        var controlEntry = _harness.Group.Entries[^1];

        var buffer = new ArrayBufferWriter<byte>();
        Assert.True(Store.TryReadMessage(put.PhysicalOffset, buffer));
        var message = Assert.Single(TestMessages.Decode(buffer.WrittenSpan));
        Assert.Equal((1L, put.PhysicalOffset, "second"), (message.QueueOffset, message.PhysicalOffset, System.Text.Encoding.UTF8.GetString(message.Body)));

        var sink = new ArrayBufferWriter<byte>();
        Assert.False(Store.TryReadMessage(put.PhysicalOffset + 1, sink));
        Assert.False(Store.TryReadMessage(controlEntry.Pos + EntryLayout.HeaderSize, sink));
        Assert.False(Store.TryReadMessage(1L << 40, sink));
        Assert.Equal(0, sink.WrittenCount);
    }

    [Fact]
    public async Task Puts_of_malformed_or_misaddressed_records_are_refused_before_reaching_the_log()
    {
        int entriesBefore = _harness.Group.Entries.Count;
        byte[] truncated = TestMessages.Encode("t", 0, "x")[..50];

        Assert.Equal(StoreStatus.MessageIllegal, (await Store.PutMessagesAsync("t", 0, [truncated])).Status);
        Assert.Equal(StoreStatus.MessageIllegal, (await Store.PutMessagesAsync("t", 1, [TestMessages.Encode("t", 0, "x")])).Status);
        Assert.Equal(StoreStatus.MessageIllegal, (await Store.PutMessagesAsync("u", 0, [TestMessages.Encode("t", 0, "x")])).Status);
        Assert.Equal(StoreStatus.MessageIllegal, (await Store.PutMessagesAsync("t", 0, [])).Status);
        Assert.Equal(entriesBefore, _harness.Group.Entries.Count);
    }

    [Fact]
    public async Task Messages_arrived_is_raised_with_the_new_max_offset()
    {
        var arrivals = new List<(string, int, long)>();
        Store.MessagesArrived += (topic, queueId, maxOffset) => arrivals.Add((topic, queueId, maxOffset));

        await Store.PutMessagesAsync("t", 2, [TestMessages.Encode("t", 2, "1"), TestMessages.Encode("t", 2, "2")]);

        Assert.Equal([("t", 2, 1L), ("t", 2, 2L)], arrivals);
    }

    [Fact]
    public async Task ConsumeQueue_files_hold_20_byte_units_in_files_named_by_byte_position()
    {
        var puts = new List<PutResult>();
        for (int i = 0; i < 6; i++) puts.Add(await Store.PutMessagesAsync("t", 0, [TestMessages.Encode("t", 0, "m", tags: "TagA")]));
        Store.StateMachine.WriteCheckpoint();

        string directory = Path.Combine(_harness.StoreDirectory("n0"), "consumequeue", "t", "0");
        Assert.Equal(["00000000000000000000", "00000000000000000080"], Directory.GetFiles(directory).Select(Path.GetFileName).Order());
        byte[] second = File.ReadAllBytes(Path.Combine(directory, "00000000000000000080"));
        Assert.Equal(40, second.Length);
        Assert.Equal(puts[5].PhysicalOffset, System.Buffers.Binary.BinaryPrimitives.ReadInt64BigEndian(second.AsSpan(20)));
        Assert.Equal(TestMessages.Encode("t", 0, "m", tags: "TagA").Length, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(second.AsSpan(28)));
        Assert.Equal(JavaStringHash.TagsCode("TagA"), System.Buffers.Binary.BinaryPrimitives.ReadInt64BigEndian(second.AsSpan(32)));
    }
}
