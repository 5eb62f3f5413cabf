using RaftMq.Broker.Tests.Store.Fakes;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Frames;
using RaftMq.Protocol.Headers;
using static RaftMq.Broker.Tests.Processors.BrokerTestKit;

namespace RaftMq.Broker.Tests.Processors;

/// <summary>QUERY_TOPIC_CONSUME_BY_WHO (300), VIEW_BROKER_STATS_DATA (315) and CLEAN_UNUSED_TOPIC (316) on the admin processor.</summary>
public sealed class TopicUsageProcessorTests
{
    [Fact]
    public async Task Stats_data_counts_puts_per_topic_and_gets_per_group_over_the_last_minute_hour_and_day()
    {
        var clock = new ManualTimeProvider();
        await using var kit = new BrokerTestKit(time: clock);
        kit.Store.AddTopic("T", queues: 1);
        Assert.Equal(ResponseCode.Success, (await kit.InvokeAsync(SendV2("T", [1, 2, 3]))).Code);
        Assert.Equal(ResponseCode.Success, (await kit.InvokeAsync(SendV2("T", [4]))).Code);
        Assert.Equal(ResponseCode.Success, (await kit.InvokeAsync(Pull("T", 0, 0, group: "CG"))).Code);
        clock.Advance(TimeSpan.FromSeconds(10));

        var put = await StatsAsync(kit, BrokerStatsNames.TopicPutNums, "T");
        var bytes = await StatsAsync(kit, BrokerStatsNames.TopicPutSize, "T");
        var got = await StatsAsync(kit, BrokerStatsNames.GroupGetNums, "T@CG");
        clock.Advance(TimeSpan.FromMinutes(2));
        var afterMinutes = await StatsAsync(kit, BrokerStatsNames.TopicPutNums, "T");
        clock.Advance(TimeSpan.FromHours(2));
        var afterHours = await StatsAsync(kit, BrokerStatsNames.GroupGetNums, "T@CG");

        Assert.Equal((2L, 0.2, 1.0), (put.StatsMinute.Sum, Math.Round(put.StatsMinute.Tps, 3), put.StatsMinute.Avgpt));
        Assert.Equal((2L, 2L), (put.StatsHour.Sum, put.StatsDay.Sum));
        Assert.True(bytes.StatsDay.Sum > 4, "stored bytes include the message layout");
        Assert.Equal((2L, 2.0), (got.StatsMinute.Sum, got.StatsMinute.Avgpt)); // one pull returned both messages
        Assert.Equal((0L, 2L), (afterMinutes.StatsMinute.Sum, afterMinutes.StatsHour.Sum));
        Assert.Equal((0L, 0L, 2L), (afterHours.StatsMinute.Sum, afterHours.StatsHour.Sum, afterHours.StatsDay.Sum));
    }

    [Fact]
    public async Task Stats_data_answers_system_error_for_an_uncounted_key_or_an_unknown_statistic()
    {
        await using var kit = new BrokerTestKit();

        var uncounted = await kit.InvokeAsync(StatsRequest(BrokerStatsNames.TopicPutNums, "Nope"));
        var unknown = await kit.InvokeAsync(StatsRequest("BROKER_PUT_NUMS", "RaftNode00"));

        Assert.Equal((ResponseCode.SystemError, "The stats <TOPIC_PUT_NUMS> <Nope> not exist"), (uncounted.Code, uncounted.Remark));
        Assert.Equal(ResponseCode.SystemError, unknown.Code);
        Assert.Contains("TOPIC_PUT_NUMS, TOPIC_PUT_SIZE, GROUP_GET_NUMS, GROUP_GET_SIZE", unknown.Remark, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Consume_by_who_lists_online_subscribers_and_groups_with_committed_offsets_of_the_topic()
    {
        await using var kit = new BrokerTestKit();
        kit.Store.AddTopic("T", queues: 2);
        kit.Store.AddTopic("U", queues: 1);
        Assert.Equal(ResponseCode.Success, (await kit.InvokeAsync(Heartbeat("client-1", group: "Online", topic: "T"))).Code);
        kit.Store.CommitConsumerOffset("Offline", "T", 1, 5);
        kit.Store.CommitConsumerOffset("Elsewhere", "U", 0, 5);

        var response = await kit.InvokeAsync(Request(RequestCode.QueryTopicConsumeByWho, ("topic", "T")));

        Assert.Equal(["Offline", "Online"], ProtocolJson.Decode<GroupList>(response.Body.Span).Groups);
    }

    [Fact]
    public async Task Clean_unused_topic_drops_what_topics_missing_from_the_table_left_and_only_on_the_leader()
    {
        await using var kit = new BrokerTestKit();
        kit.Store.AddTopic("Gone", queues: 2);
        kit.Store.AddTopic("Kept", queues: 1);
        await kit.InvokeAsync(SendV2("Gone", [1], queueId: 1));
        await kit.InvokeAsync(SendV2("Kept", [1]));
        kit.Store.ForgetTopic("Gone");
        kit.Store.IsWritable = false;
        var refused = await kit.InvokeAsync(Request(RequestCode.CleanUnusedTopic));
        kit.Store.IsWritable = true;

        var cleaned = await kit.InvokeAsync(Request(RequestCode.CleanUnusedTopic));
        var again = await kit.InvokeAsync(Request(RequestCode.CleanUnusedTopic));

        Assert.Equal(ResponseCode.ServiceNotAvailable, refused.Code);
        Assert.Contains("not master", refused.Remark, StringComparison.Ordinal);
        var result = ProtocolJson.Decode<CleanUnusedTopicResult>(cleaned.Body.Span);
        Assert.Equal(["Gone"], result.Topics);
        Assert.Equal(1, result.Queues);
        Assert.Equal((0L, 1L), (kit.Store.GetMaxOffset("Gone", 1), kit.Store.GetMaxOffset("Kept", 0)));
        var nothingLeft = ProtocolJson.Decode<CleanUnusedTopicResult>(again.Body.Span);
        Assert.Empty(nothingLeft.Topics);
        Assert.Equal(0, nothingLeft.Queues);
    }

    [Fact]
    public async Task Deleting_a_topic_forgets_its_statistics()
    {
        await using var kit = new BrokerTestKit();
        kit.Store.AddTopic("T", queues: 1);
        await kit.InvokeAsync(SendV2("T", [1]));
        Assert.Equal(ResponseCode.Success, (await kit.InvokeAsync(StatsRequest(BrokerStatsNames.TopicPutNums, "T"))).Code);

        Assert.Equal(ResponseCode.Success, (await kit.InvokeAsync(Request(RequestCode.DeleteTopicInBroker, ("topic", "T")))).Code);

        Assert.Equal(ResponseCode.SystemError, (await kit.InvokeAsync(StatsRequest(BrokerStatsNames.TopicPutNums, "T"))).Code);
        Assert.Equal(0, kit.Store.GetMaxOffset("T", 0));
    }

    private static RemotingCommand StatsRequest(string statsName, string statsKey)
    {
        var request = RemotingCommand.CreateRequest(RequestCode.ViewBrokerStatsData);
        new ViewBrokerStatsDataRequestHeader { StatsName = statsName, StatsKey = statsKey }.ToExtFields(request.ExtFields);
        return request;
    }

    private static async Task<BrokerStatsData> StatsAsync(BrokerTestKit kit, string statsName, string statsKey)
    {
        var response = await kit.InvokeAsync(StatsRequest(statsName, statsKey));
        Assert.Equal(ResponseCode.Success, response.Code);
        return ProtocolJson.Decode<BrokerStatsData>(response.Body.Span);
    }
}
