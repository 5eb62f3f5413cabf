using System.Text;
using RaftMq.Broker.Processors.Delay;
using RaftMq.Broker.Store;
using RaftMq.Broker.Tests.Processors.Fakes;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Headers;
using RaftMq.Protocol.Messages;
using static RaftMq.Broker.Tests.Processors.BrokerTestKit;

namespace RaftMq.Broker.Tests.Processors;

/// <summary>DELAY sends and send-back retries wait in SCHEDULE_TOPIC_XXXX and are re-delivered when due, by the leader.</summary>
public sealed class DelayDeliveryTests
{
    private const string Schedule = SystemNames.ScheduleTopic;
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(400);

    private static (BrokerTestKit Kit, ManualTimeProvider Clock) Kit()
    {
        var clock = new ManualTimeProvider();
        var kit = new BrokerTestKit(time: clock);
        kit.Store.AddTopic("T");
        return (kit, clock);
    }

    private static string Delayed(int level) => $"TAGS\u0001TagA\u0002UNIQ_KEY\u0001U1\u0002DELAY\u0001{level}";

    [Fact]
    public async Task A_delayed_send_waits_in_the_schedule_queue_of_its_level_naming_its_real_queue()
    {
        var (kit, _) = Kit();
        await using var _ = kit;
        var response = await kit.InvokeAsync(SendV2("T", "later"u8.ToArray(), Delayed(2), queueId: 3));

        Assert.Equal(ResponseCode.Success, response.Code);
        Assert.Equal(3, SendMessageResponseHeader.FromExtFields(response.ExtFields).QueueId);
        var waiting = Assert.Single(kit.Store.Messages(Schedule, 1));
        Assert.Equal(Schedule, waiting.Topic);
        Assert.Equal("T", waiting.Properties[MessageProperty.RealTopic]);
        Assert.Equal("3", waiting.Properties[MessageProperty.RealQueueId]);
        Assert.Equal("2", waiting.Properties[MessageProperty.DelayTimeLevel]);
        Assert.Empty(kit.Store.Messages("T", 3));
    }

    [Fact]
    public async Task A_level_above_the_last_is_clamped_to_the_last()
    {
        var (kit, _) = Kit();
        await using var _ = kit;
        Assert.Equal(ResponseCode.Success, (await kit.InvokeAsync(SendV2("T", "x"u8.ToArray(), Delayed(99)))).Code);

        var waiting = Assert.Single(kit.Store.Messages(Schedule, DelayLevels.Default.MaxLevel - 1));
        Assert.Equal("18", waiting.Properties[MessageProperty.DelayTimeLevel]);
    }

    [Fact]
    public async Task A_due_message_is_re_delivered_once_into_its_real_topic()
    {
        var (kit, clock) = Kit();
        await using var _ = kit;
        await kit.InvokeAsync(SendV2("T", "later"u8.ToArray(), Delayed(1), queueId: 2));
        var waiting = kit.Store.Messages(Schedule, 0)[0];
        await Task.Delay(Quiet);
        Assert.Empty(kit.Store.Messages("T", 2)); // level 1 is 1 s; the clock has not moved

        clock.Advance(TimeSpan.FromSeconds(1));
        await WaitUntilAsync(() => kit.Store.Messages("T", 2).Count == 1, "the message re-delivered after its delay");
        await Task.Delay(Quiet);

        var delivered = Assert.Single(kit.Store.Messages("T", 2));
        Assert.Equal("later"u8.ToArray(), delivered.Body);
        Assert.Equal("U1", delivered.Properties[MessageProperty.UniqueClientMessageIdKeyIndex]);
        Assert.Equal("TagA", delivered.Properties[MessageProperty.Tags]);
        Assert.Null(delivered.Properties[MessageProperty.DelayTimeLevel]);
        Assert.Equal("0,0", delivered.Properties[MessageProperty.ScheduledFrom]);
        Assert.Equal(waiting.BornTimestamp, delivered.BornTimestamp);
        Assert.Equal(clock.GetUtcNow().ToUnixTimeMilliseconds(), delivered.StoreTimestamp);
        Assert.Equal(1, kit.Store.GetScheduleProgress(0));
    }

    [Fact]
    public async Task Due_messages_of_a_level_are_re_delivered_in_order_in_one_write_whatever_their_real_queues()
    {
        var (kit, clock) = Kit();
        await using var _ = kit;
        int[] queues = [0, 0, 1, 1, 0];
        for (int i = 0; i < queues.Length; i++)
            Assert.Equal(ResponseCode.Success, (await kit.InvokeAsync(SendV2("T", Encoding.UTF8.GetBytes($"m{i}"), Delayed(1), queueId: queues[i]))).Code);

        clock.Advance(TimeSpan.FromSeconds(1));
        await WaitUntilAsync(() => kit.Store.GetScheduleProgress(0) == queues.Length, "all five re-delivered");

        Assert.Equal(["m0", "m1", "m4"], kit.Store.Messages("T", 0).Select(m => Encoding.UTF8.GetString(m.Body)));
        Assert.Equal(["m2", "m3"], kit.Store.Messages("T", 1).Select(m => Encoding.UTF8.GetString(m.Body)));
        Assert.Equal(["0,0", "0,1", "0,4"], kit.Store.Messages("T", 0).Select(m => m.Properties[MessageProperty.ScheduledFrom]));
        Assert.Equal(1, kit.Store.RecordPutCalls);
    }

    [Fact]
    public async Task A_message_with_a_delivery_time_hops_between_levels_until_it_is_due()
    {
        var (kit, clock) = Kit();
        await using var _ = kit;
        long deliverAt = clock.GetUtcNow().AddSeconds(25).ToUnixTimeMilliseconds();
        var response = await kit.InvokeAsync(SendV2("T", "at"u8.ToArray(), $"UNIQ_KEY\u0001U2\u0002__STARTDELIVERTIME\u0001{deliverAt}"));
        Assert.Equal(ResponseCode.Success, response.Code);
        Assert.Single(kit.Store.Messages(Schedule, 2)); // 25 s left: the 10 s level (the longest that does not pass it)

        clock.Advance(TimeSpan.FromSeconds(10)); // 15 s left: 10 s again
        await WaitUntilAsync(() => kit.Store.Messages(Schedule, 2).Count == 2, "a second hop at the 10 s level");
        clock.Advance(TimeSpan.FromSeconds(10)); // 5 s left
        await WaitUntilAsync(() => kit.Store.Messages(Schedule, 1).Count == 1, "a hop at the 5 s level");
        Assert.Empty(kit.Store.Messages("T", 0));
        clock.Advance(TimeSpan.FromSeconds(5));
        await WaitUntilAsync(() => kit.Store.Messages("T", 0).Count == 1, "delivery at its time");

        var delivered = kit.Store.Messages("T", 0)[0];
        Assert.Equal(deliverAt, delivered.StoreTimestamp);
        Assert.Equal("U2", delivered.MsgId);
        Assert.Null(delivered.Properties[MessageProperty.DelayTimeLevel]);
        Assert.Equal("1,0", delivered.Properties[MessageProperty.ScheduledFrom]);
        Assert.Equal((2L, 1L), (kit.Store.GetScheduleProgress(2), kit.Store.GetScheduleProgress(1)));
    }

    [Fact]
    public async Task Get_all_delay_offset_reports_each_level_s_applied_progress()
    {
        var (kit, clock) = Kit();
        await using var _ = kit;
        await kit.InvokeAsync(SendV2("T", "a"u8.ToArray(), Delayed(1)));
        await kit.InvokeAsync(SendV2("T", "b"u8.ToArray(), Delayed(1)));
        await kit.InvokeAsync(SendV2("T", "c"u8.ToArray(), Delayed(2)));
        clock.Advance(TimeSpan.FromSeconds(1));
        await WaitUntilAsync(() => kit.Store.GetScheduleProgress(0) == 2, "level 1 delivered");

        var response = await kit.InvokeAsync(Request(RequestCode.GetAllDelayOffset));

        Assert.Equal(ResponseCode.Success, response.Code);
        var offsets = ProtocolJson.Decode<DelayOffsetBody>(response.Body.Span).OffsetTable;
        Assert.Equal(DelayLevels.Default.MaxLevel, offsets.Count);
        Assert.Equal((2L, 0L), (offsets["1"], offsets["2"]));
    }

    [Fact]
    public async Task Only_the_writable_leader_re_delivers_and_a_failed_write_is_retried_from_the_applied_progress()
    {
        var (kit, clock) = Kit();
        await using var _ = kit;
        await kit.InvokeAsync(SendV2("T", "later"u8.ToArray(), Delayed(1)));
        kit.Store.IsWritable = false;
        clock.Advance(TimeSpan.FromSeconds(5));
        await Task.Delay(Quiet);
        Assert.Empty(kit.Store.Messages("T", 0));

        kit.Store.IsWritable = true;
        kit.Store.ForcedStatus = StoreStatus.Unknown;
        await WaitUntilAsync(() => kit.Store.RecordPutCalls >= 1, "a re-delivery attempted");
        Assert.Empty(kit.Store.Messages("T", 0));
        kit.Store.ForcedStatus = null;

        // The level pauses RetryPause (1 s) from the moment the service sees the failed write, which may come after
        // this point: keep the manual clock moving until the retry happens.
        await WaitUntilAsync(() =>
        {
            if (kit.Store.Messages("T", 0).Count == 1) return true;
            clock.Advance(TimeSpan.FromMilliseconds(100));
            return false;
        }, "re-delivered after the failed attempt");
        await Task.Delay(Quiet);
        Assert.Single(kit.Store.Messages("T", 0));
    }

    [Fact]
    public async Task Send_back_waits_three_levels_plus_the_reconsume_times_unless_the_consumer_names_a_level()
    {
        var (kit, clock) = Kit();
        await using var _ = kit;
        await kit.InvokeAsync(SendV2("T", "payload"u8.ToArray()));
        var original = kit.Store.Messages("T", 0)[0];

        Assert.Equal(ResponseCode.Success, (await kit.InvokeAsync(SendBack(original.PhysicalOffset, delayLevel: 0))).Code);
        var retry = Assert.Single(kit.Store.Messages(Schedule, 2)); // level 3: 10 s with the default levels
        Assert.Equal("%RETRY%CG", retry.Properties[MessageProperty.RealTopic]);
        Assert.Equal("0", retry.Properties[MessageProperty.RealQueueId]);
        Assert.Equal(1, retry.ReconsumeTimes);
        Assert.Equal(ResponseCode.Success, (await kit.InvokeAsync(SendBack(original.PhysicalOffset, delayLevel: 5))).Code);
        Assert.Single(kit.Store.Messages(Schedule, 4));

        clock.Advance(TimeSpan.FromSeconds(10));
        await WaitUntilAsync(() => kit.Store.Messages("%RETRY%CG", 0).Count == 1, "the first retry due after 10 s");
        var delivered = kit.Store.Messages("%RETRY%CG", 0)[0];
        Assert.Equal("T", delivered.Properties[MessageProperty.RetryTopic]);
        Assert.Equal(1, delivered.ReconsumeTimes);

        // A retry of a re-delivered message starts from its own reconsume count: level 3 + 1.
        Assert.Equal(ResponseCode.Success, (await kit.InvokeAsync(SendBack(delivered.PhysicalOffset, delayLevel: 0))).Code);
        var second = Assert.Single(kit.Store.Messages(Schedule, 3));
        Assert.Equal(2, second.ReconsumeTimes);
        Assert.Null(second.Properties[MessageProperty.ScheduledFrom]);
    }

    [Fact]
    public async Task An_exhausted_retry_goes_to_the_dead_letter_queue_at_once_whatever_its_delay()
    {
        var (kit, _) = Kit();
        await using var _ = kit;
        var response = await kit.InvokeAsync(SendV2("%RETRY%CG", "x"u8.ToArray(), Delayed(3), reconsumeTimes: 16, maxReconsumeTimes: 16));

        Assert.Equal(ResponseCode.Success, response.Code);
        Assert.Single(kit.Store.Messages("%DLQ%CG", 0));
        Assert.Empty(kit.Store.Messages(Schedule, 2));
    }

    [Fact]
    public async Task Delayed_batches_and_the_broker_only_property_are_refused_and_nothing_is_stored()
    {
        var (kit, _) = Kit();
        await using var _ = kit;
        var body = new byte[256];
        int length = BatchMessageCodec.Encode(body, 0, "a"u8, Encoding.UTF8.GetBytes("DELAY\u00012"));
        var batch = await kit.InvokeAsync(SendV2("T", body[..length], properties: null, code: RequestCode.SendBatchMessage));
        var forged = await kit.InvokeAsync(SendV2("T", "x"u8.ToArray(), "RMQ_SCHEDULED_FROM\u00010,99"));

        Assert.Equal(ResponseCode.MessageIllegal, batch.Code);
        Assert.Contains("DELAY", batch.Remark);
        Assert.Equal(ResponseCode.MessageIllegal, forged.Code);
        Assert.Contains(MessageProperty.ScheduledFrom, forged.Remark);
        Assert.Equal(0, kit.Store.TotalMessages);
    }

    [Theory]
    [InlineData("1s 5s 10s", 3, 10_000)]
    [InlineData("500s 2m 1h 1d", 4, 86_400_000)]
    public void Delay_levels_parse_like_messageDelayLevel(string text, int levels, long lastMs)
    {
        var parsed = DelayLevels.Parse(text);

        Assert.Equal(levels, parsed.MaxLevel);
        Assert.Equal(lastMs, (long)parsed.DelayOf(levels).TotalMilliseconds);
    }

    [Theory]
    [InlineData("1s 5s 10s 30s", 25_000, 3)]
    [InlineData("1s 5s 10s 30s", 500, 1)]
    [InlineData("1s 5s 10s 30s", 3_600_000, 4)]
    [InlineData("10s 1s", 5_000, 2)]
    [InlineData("10s 5s", 1_000, 2)]
    public void The_level_for_a_delivery_time_never_passes_it_unless_even_the_shortest_does(string levels, long remainingMs, int expected) =>
        Assert.Equal(expected, DelayLevels.Parse(levels).LevelFor(TimeSpan.FromMilliseconds(remainingMs)));

    [Theory]
    [InlineData("")]
    [InlineData("1s 5")]
    [InlineData("1s 5x")]
    [InlineData("0s")]
    [InlineData("1.5s")]
    public void Malformed_delay_levels_are_refused(string text) => Assert.Throws<FormatException>(() => DelayLevels.Parse(text));

    private static Protocol.Frames.RemotingCommand SendBack(long offset, int delayLevel)
    {
        var request = Protocol.Frames.RemotingCommand.CreateRequest(RequestCode.ConsumerSendMsgBack);
        new ConsumerSendMsgBackRequestHeader { Offset = offset, Group = "CG", DelayLevel = delayLevel, MaxReconsumeTimes = 16 }.ToExtFields(request.ExtFields);
        return request;
    }
}
