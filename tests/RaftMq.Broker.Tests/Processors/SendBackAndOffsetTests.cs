using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Headers;
using RaftMq.Protocol.Messages;
using static RaftMq.Broker.Tests.Processors.BrokerTestKit;

namespace RaftMq.Broker.Tests.Processors;

public sealed class SendBackAndOffsetTests
{
    private static async Task<(BrokerTestKit Kit, DecodedMessage Original)> KitWithOneMessage()
    {
        var kit = new BrokerTestKit();
        kit.Store.AddTopic("T");
        Assert.Equal(ResponseCode.Success, (await kit.InvokeAsync(SendV2("T", "payload"u8.ToArray()))).Code);
        return (kit, kit.Store.Messages("T", 0)[0]);
    }

    private static Protocol.Frames.RemotingCommand SendBack(long offset, int delayLevel = 0, int? maxReconsumeTimes = 16)
    {
        var request = Protocol.Frames.RemotingCommand.CreateRequest(RequestCode.ConsumerSendMsgBack);
        new ConsumerSendMsgBackRequestHeader { Offset = offset, Group = "CG", DelayLevel = delayLevel, MaxReconsumeTimes = maxReconsumeTimes }
            .ToExtFields(request.ExtFields);
        return request;
    }

    [Fact]
    public async Task Send_back_stores_a_copy_for_the_retry_topic_with_retry_properties()
    {
        var (kit, original) = await KitWithOneMessage();
        await using var _ = kit;
        var response = await kit.InvokeAsync(SendBack(original.PhysicalOffset));

        Assert.Equal(ResponseCode.Success, response.Code);
        // It waits for its delay level (3 for a first retry) before it reaches %RETRY%CG (DelayDeliveryTests).
        var retry = Assert.Single(kit.Store.Messages(SystemNames.ScheduleTopic, 2));
        Assert.Equal("%RETRY%CG", retry.Properties[MessageProperty.RealTopic]);
        Assert.Equal(original.Body, retry.Body);
        Assert.Equal(1, retry.ReconsumeTimes);
        Assert.Equal("T", retry.Properties[MessageProperty.RetryTopic]);
        Assert.Equal(original.OffsetMsgId, retry.Properties[MessageProperty.OriginMessageId]);
        Assert.Equal("1", retry.Properties[MessageProperty.ReconsumeTime]);
        Assert.Equal(original.BornTimestamp, retry.BornTimestamp);
    }

    [Fact]
    public async Task Send_back_after_max_reconsume_times_goes_to_the_dead_letter_queue()
    {
        var (kit, original) = await KitWithOneMessage();
        await using var _ = kit;
        long offset = original.PhysicalOffset;
        for (int attempt = 0; attempt < 3; attempt++)
        {
            Assert.Equal(ResponseCode.Success, (await kit.InvokeAsync(SendBack(offset, maxReconsumeTimes: 2))).Code);
            // Retry n waits at level 3 + n, in schedule queue 2 + n.
            if (attempt < 2) offset = Assert.Single(kit.Store.Messages(SystemNames.ScheduleTopic, 2 + attempt)).PhysicalOffset;
        }

        Assert.Empty(kit.Store.Messages(SystemNames.ScheduleTopic, 4));
        var dead = Assert.Single(kit.Store.Messages("%DLQ%CG", 0));
        Assert.Equal(3, dead.ReconsumeTimes);
        Assert.Equal("T", dead.Properties[MessageProperty.RetryTopic]);
    }

    [Fact]
    public async Task Negative_delay_level_sends_straight_to_the_dead_letter_queue()
    {
        var (kit, original) = await KitWithOneMessage();
        await using var _ = kit;
        Assert.Equal(ResponseCode.Success, (await kit.InvokeAsync(SendBack(original.PhysicalOffset, delayLevel: -1))).Code);

        Assert.Single(kit.Store.Messages("%DLQ%CG", 0));
        Assert.Empty(kit.Store.Messages("%RETRY%CG", 0));
    }

    [Fact]
    public async Task Send_back_of_an_unknown_offset_fails_and_stores_nothing()
    {
        var (kit, _) = await KitWithOneMessage();
        await using var __ = kit;
        var response = await kit.InvokeAsync(SendBack(123_456_789));

        Assert.Equal(ResponseCode.SystemError, response.Code);
        Assert.Equal(1, kit.Store.TotalMessages);
    }

    [Fact]
    public async Task Consumer_offsets_are_committed_and_queried()
    {
        var (kit, _) = await KitWithOneMessage();
        await using var __ = kit;
        var update = await kit.InvokeAsync(Request(RequestCode.UpdateConsumerOffset, ("consumerGroup", "CG"), ("topic", "T"), ("queueId", "0"), ("commitOffset", "1")));
        var query = await kit.InvokeAsync(Request(RequestCode.QueryConsumerOffset, ("consumerGroup", "CG"), ("topic", "T"), ("queueId", "0")));

        Assert.Equal(ResponseCode.Success, update.Code);
        Assert.Equal(1, OffsetResponseHeader.FromExtFields(query.ExtFields).Offset);
    }

    [Fact]
    public async Task Query_without_committed_offset_answers_zero_on_a_fresh_queue_and_not_found_after_retention()
    {
        var (kit, _) = await KitWithOneMessage();
        await using var __ = kit;
        var fresh = await kit.InvokeAsync(Request(RequestCode.QueryConsumerOffset, ("consumerGroup", "CG"), ("topic", "T"), ("queueId", "0")));
        kit.Store.MinOffsetOverride = 1;
        var trimmed = await kit.InvokeAsync(Request(RequestCode.QueryConsumerOffset, ("consumerGroup", "CG"), ("topic", "T"), ("queueId", "0")));

        Assert.Equal(0, OffsetResponseHeader.FromExtFields(fresh.ExtFields).Offset);
        Assert.Equal(ResponseCode.QueryNotFound, trimmed.Code);
    }

    [Theory]
    [InlineData("Nope", "0", "1", ResponseCode.TopicNotExist, "topic[Nope] not exist")]
    [InlineData("T", "-1", "1", ResponseCode.SystemError, "queueId[-1] is illegal")]
    [InlineData("T", "64", "1", ResponseCode.SystemError, "queueId[64] is illegal")]
    [InlineData("T", "0", "-100", ResponseCode.SystemError, "commitOffset[-100] is illegal")]
    public async Task Offset_update_for_an_unknown_topic_a_queue_it_lacks_or_a_negative_offset_is_refused_and_stores_nothing(
        string topic, string queueId, string offset, int code, string remark)
    {
        var (kit, _) = await KitWithOneMessage();
        await using var __ = kit;
        var update = await kit.InvokeAsync(Request(RequestCode.UpdateConsumerOffset, ("consumerGroup", "CG"), ("topic", topic), ("queueId", queueId), ("commitOffset", offset)));

        Assert.Equal(code, update.Code);
        Assert.Contains(remark, update.Remark);
        Assert.Empty(kit.Store.ConsumerOffsets("CG"));
    }

    [Fact]
    public async Task Offset_update_on_a_follower_answers_not_master()
    {
        var (kit, _) = await KitWithOneMessage();
        await using var __ = kit;
        kit.Store.IsWritable = false;
        var update = await kit.InvokeAsync(Request(RequestCode.UpdateConsumerOffset, ("consumerGroup", "CG"), ("topic", "T"), ("queueId", "0"), ("commitOffset", "1")));

        Assert.Equal(ResponseCode.ServiceNotAvailable, update.Code);
        Assert.Equal(-1, kit.Store.QueryConsumerOffset("CG", "T", 0));
    }

    [Fact]
    public async Task Max_min_search_and_earliest_time_come_from_the_store()
    {
        var (kit, original) = await KitWithOneMessage();
        await using var __ = kit;
        var max = await kit.InvokeAsync(Request(RequestCode.GetMaxOffset, ("topic", "T"), ("queueId", "0")));
        var min = await kit.InvokeAsync(Request(RequestCode.GetMinOffset, ("topic", "T"), ("queueId", "0")));
        var search = await kit.InvokeAsync(Request(RequestCode.SearchOffsetByTimestamp, ("topic", "T"), ("queueId", "0"), ("timestamp", "9999999999999")));
        var earliest = await kit.InvokeAsync(Request(RequestCode.GetEarliestMsgStoretime, ("topic", "T"), ("queueId", "0")));

        Assert.Equal(1, OffsetResponseHeader.FromExtFields(max.ExtFields).Offset);
        Assert.Equal(0, OffsetResponseHeader.FromExtFields(min.ExtFields).Offset);
        Assert.Equal(1, OffsetResponseHeader.FromExtFields(search.ExtFields).Offset);
        Assert.Equal(original.StoreTimestamp, TimestampResponseHeader.FromExtFields(earliest.ExtFields).Timestamp);
    }

    [Fact]
    public async Task View_by_id_and_query_by_key_return_the_stored_message()
    {
        var (kit, original) = await KitWithOneMessage();
        await using var __ = kit;
        var view = await kit.InvokeAsync(Request(RequestCode.ViewMessageById, ("offset", original.PhysicalOffset.ToString())));
        var query = await kit.InvokeAsync(Request(RequestCode.QueryMessage, ("topic", "T"), ("key", "k1"), ("maxNum", "10"),
            ("beginTimestamp", "0"), ("endTimestamp", long.MaxValue.ToString())));
        var miss = await kit.InvokeAsync(Request(RequestCode.QueryMessage, ("topic", "T"), ("key", "nope"), ("maxNum", "10"),
            ("beginTimestamp", "0"), ("endTimestamp", long.MaxValue.ToString())));
        var missingView = await kit.InvokeAsync(Request(RequestCode.ViewMessageById, ("offset", "1")));

        Assert.Equal(original.OffsetMsgId, StoredMessageView.Read(view.Body.Span).ToDecodedMessage().OffsetMsgId);
        Assert.Equal(ResponseCode.Success, query.Code);
        Assert.Equal(original.PhysicalOffset, StoredMessageView.Read(query.Body.Span).PhysicalOffset);
        Assert.Equal(ResponseCode.QueryNotFound, miss.Code);
        Assert.Equal(ResponseCode.SystemError, missingView.Code);
    }
}
