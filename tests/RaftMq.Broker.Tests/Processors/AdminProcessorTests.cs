using RaftMq.Broker.Processors.Admin;
using RaftMq.Consensus.Core;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Headers;
using static RaftMq.Broker.Tests.Processors.BrokerTestKit;

namespace RaftMq.Broker.Tests.Processors;

public sealed class AdminProcessorTests
{
    private static Protocol.Frames.RemotingCommand CreateTopic(string topic, int queues = 4)
    {
        var request = Protocol.Frames.RemotingCommand.CreateRequest(RequestCode.UpdateAndCreateTopic);
        new CreateTopicRequestHeader
        {
            Topic = topic, DefaultTopic = "TBW102", ReadQueueNums = queues, WriteQueueNums = queues, Perm = PermName.ReadWrite,
            TopicFilterType = "SINGLE_TAG",
        }.ToExtFields(request.ExtFields);
        return request;
    }

    [Fact]
    public async Task Topics_are_created_listed_and_deleted_through_the_store()
    {
        await using var kit = new BrokerTestKit();
        Assert.Equal(ResponseCode.Success, (await kit.InvokeAsync(CreateTopic("Orders", 6))).Code);
        var all = await kit.InvokeAsync(Request(RequestCode.GetAllTopicConfig));
        var wrapper = ProtocolJson.Decode<TopicConfigSerializeWrapper>(all.Body.Span);
        Assert.Equal(6, wrapper.TopicConfigTable["Orders"].WriteQueueNums);
        Assert.Equal(1, wrapper.DataVersion.Counter);

        Assert.Equal(ResponseCode.Success, (await kit.InvokeAsync(Request(RequestCode.DeleteTopicInBroker, ("topic", "Orders")))).Code);
        Assert.Null(kit.Store.FindTopic("Orders"));
    }

    [Fact]
    public async Task Creating_a_topic_on_a_follower_answers_not_master()
    {
        await using var kit = new BrokerTestKit();
        kit.Store.IsWritable = false;
        var response = await kit.InvokeAsync(CreateTopic("Orders"));

        Assert.Equal(ResponseCode.ServiceNotAvailable, response.Code);
        Assert.Null(kit.Store.FindTopic("Orders"));
    }

    [Fact]
    public async Task System_topic_names_cannot_be_created()
    {
        await using var kit = new BrokerTestKit();
        var response = await kit.InvokeAsync(CreateTopic("SCHEDULE_TOPIC_XXXX"));

        Assert.Equal(ResponseCode.SystemError, response.Code);
    }

    [Fact]
    public async Task Runtime_info_reports_role_term_and_leader()
    {
        await using var kit = new BrokerTestKit();
        kit.Leadership.State = new SoftState(RaftRole.Follower, 7, "n2");
        kit.Store.IsWritable = false;
        var response = await kit.InvokeAsync(Request(RequestCode.GetBrokerRuntimeInfo));
        var table = ProtocolJson.Decode<KvTable>(response.Body.Span).Table;

        Assert.Equal("FOLLOWER", table["raftRole"]);
        Assert.Equal("7", table["raftTerm"]);
        Assert.Equal("n2", table["raftLeaderId"]);
        Assert.Equal("SLAVE", table["brokerRole"]);
    }

    [Fact]
    public async Task Topic_stats_and_consume_stats_report_offsets_per_queue()
    {
        await using var kit = new BrokerTestKit();
        kit.Store.AddTopic("T", queues: 2);
        await kit.InvokeAsync(SendV2("T", [1], queueId: 1));
        await kit.InvokeAsync(SendV2("T", [2], queueId: 1));
        kit.Store.CommitConsumerOffset("CG", "T", 1, 1);

        var topicStats = ProtocolJson.Decode<TopicStatsBody>((await kit.InvokeAsync(Request(RequestCode.GetTopicStatsInfo, ("topic", "T")))).Body.Span);
        var consumeStats = ProtocolJson.Decode<ConsumeStatsBody>((await kit.InvokeAsync(Request(RequestCode.GetConsumeStats, ("consumerGroup", "CG")))).Body.Span);
        var missing = await kit.InvokeAsync(Request(RequestCode.GetTopicStatsInfo, ("topic", "Nope")));

        Assert.Equal([0L, 2L], topicStats.OffsetTable.Select(q => q.MaxOffset));
        // lastUpdateTimestamp as RocketMQ: the store time of the queue's last message, 0 for an empty queue.
        Assert.Equal(0, topicStats.OffsetTable[0].LastUpdateTimestamp);
        Assert.Equal(kit.Store.GetStoreTime("T", 1, 1), topicStats.OffsetTable[1].LastUpdateTimestamp);
        Assert.True(topicStats.OffsetTable[1].LastUpdateTimestamp > 0);
        var queue1 = consumeStats.OffsetTable.Single(q => q.MessageQueue.QueueId == 1);
        Assert.Equal(2, queue1.BrokerOffset);
        Assert.Equal(1, queue1.ConsumerOffset);
        Assert.Equal(ResponseCode.TopicNotExist, missing.Code);
    }

    [Fact]
    public async Task Leadership_transfer_is_asked_of_the_consensus_node()
    {
        await using var kit = new BrokerTestKit();
        var response = await kit.InvokeAsync(Request(RaftMqRequestCode.TransferLeadership, ("targetId", "n1")));
        kit.Leadership.State = new SoftState(RaftRole.Follower, 4, "n1");
        var refused = await kit.InvokeAsync(Request(RaftMqRequestCode.TransferLeadership, ("targetId", "n2")));

        Assert.Equal(ResponseCode.Success, response.Code);
        Assert.Equal(["n1"], kit.Leadership.Transfers);
        Assert.Equal(ResponseCode.ServiceNotAvailable, refused.Code);
        Assert.Contains("n1", refused.Remark);
    }
}
