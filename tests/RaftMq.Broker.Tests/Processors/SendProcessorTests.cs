using System.Text;
using RaftMq.Broker.Store;
using RaftMq.Foundation.Checksums;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Headers;
using RaftMq.Protocol.Messages;
using static RaftMq.Broker.Tests.Processors.BrokerTestKit;

namespace RaftMq.Broker.Tests.Processors;

public sealed class SendProcessorTests
{
    [Theory]
    [InlineData(RequestCode.SendMessage)]
    [InlineData(RequestCode.SendMessageV2)]
    public async Task Send_stores_the_message_with_leader_side_fields_and_answers_the_offset_message_id(int code)
    {
        await using var kit = new BrokerTestKit();
        kit.Store.AddTopic("T");
        var response = await kit.InvokeAsync(SendV2("T", "hello"u8.ToArray(), queueId: 2, code: code));

        Assert.Equal(ResponseCode.Success, response.Code);
        var header = SendMessageResponseHeader.FromExtFields(response.ExtFields);
        Assert.Equal(2, header.QueueId);
        Assert.Equal(0, header.QueueOffset);
        Assert.Equal("DefaultRegion", header.MessageRegion);
        Assert.Equal("true", header.TraceOn);
        var stored = Assert.Single(kit.Store.Messages("T", 2));
        Assert.Equal("hello", Encoding.UTF8.GetString(stored.Body));
        Assert.Equal(StoreHost, stored.StoreHost);
        Assert.Equal("127.0.0.1", stored.BornHost.ToEndPoint().Address.ToString());
        Assert.Equal(7, stored.Flag);
        Assert.Equal("RaftCluster", stored.Properties[MessageProperty.Cluster]);
        Assert.Equal("TagA", stored.Properties[MessageProperty.Tags]);
        Assert.True(stored.StoreTimestamp > 0);
        Assert.Equal(stored.OffsetMsgId, header.MsgId);
        var (host, physicalOffset) = OffsetMessageId.Decode(header.MsgId);
        Assert.Equal(StoreHost, host);
        Assert.Equal(stored.PhysicalOffset, physicalOffset);
    }

    [Fact]
    public async Task Batch_send_stores_every_message_and_answers_comma_joined_ids()
    {
        await using var kit = new BrokerTestKit();
        kit.Store.AddTopic("T");
        var body = new byte[4096];
        int length = 0;
        for (int i = 0; i < 3; i++)
        {
            length += BatchMessageCodec.Encode(body.AsSpan(length), i, Encoding.UTF8.GetBytes($"m{i}"), Encoding.UTF8.GetBytes($"KEYS\u0001k{i}"));
        }
        var response = await kit.InvokeAsync(SendV2("T", body[..length], properties: null, queueId: 1, code: RequestCode.SendBatchMessage));

        Assert.Equal(ResponseCode.Success, response.Code);
        var ids = SendMessageResponseHeader.FromExtFields(response.ExtFields).MsgId.Split(',');
        var stored = kit.Store.Messages("T", 1);
        Assert.Equal(3, stored.Count);
        Assert.Equal(stored.Select(m => m.OffsetMsgId), ids);
        Assert.Equal(["m0", "m1", "m2"], stored.Select(m => Encoding.UTF8.GetString(m.Body)));
        Assert.Equal([0, 1, 2], stored.Select(m => m.Flag));
        Assert.All(stored, m => Assert.Equal("RaftCluster", m.Properties[MessageProperty.Cluster]));
    }

    [Fact]
    public async Task A_compressed_body_is_stored_as_sent_with_its_flag()
    {
        await using var kit = new BrokerTestKit();
        kit.Store.AddTopic("T");
        byte[] compressed = StoredMessageValidationTests.Zlib("hello, compressed"u8.ToArray());
        var response = await kit.InvokeAsync(SendV2("T", compressed, sysFlag: MessageSysFlag.Compressed));

        Assert.Equal(ResponseCode.Success, response.Code);
        var stored = Assert.Single(kit.Store.Messages("T", 0));
        Assert.Equal(compressed, stored.Body);
        Assert.True(stored.IsCompressed);
        Assert.Equal(Crc32Ieee.BodyCrc(compressed), stored.BodyCrc);
    }

    [Fact]
    public async Task Negative_queue_id_picks_a_writable_queue()
    {
        await using var kit = new BrokerTestKit();
        kit.Store.AddTopic("T", queues: 2);
        for (int i = 0; i < 4; i++) Assert.Equal(ResponseCode.Success, (await kit.InvokeAsync(SendV2("T", [1], queueId: -1))).Code);

        Assert.Equal(2, kit.Store.Messages("T", 0).Count);
        Assert.Equal(2, kit.Store.Messages("T", 1).Count);
    }

    [Fact]
    public async Task Follower_answers_not_master_with_the_leader_id_and_stores_nothing()
    {
        await using var kit = new BrokerTestKit();
        kit.Store.AddTopic("T");
        kit.Store.IsWritable = false;
        kit.Store.LeaderId = "n2";
        var response = await kit.InvokeAsync(SendV2("T", [1]));

        Assert.Equal(ResponseCode.ServiceNotAvailable, response.Code);
        Assert.Contains("not master", response.Remark);
        Assert.Contains("n2", response.Remark);
        Assert.Equal(0, kit.Store.TotalMessages);
    }

    [Theory]
    [InlineData(StoreStatus.Unknown, ResponseCode.SystemError, "unknown outcome")]
    [InlineData(StoreStatus.Busy, ResponseCode.SystemBusy, "BUSY")]
    [InlineData(StoreStatus.NotLeader, ResponseCode.ServiceNotAvailable, "not master")]
    public async Task A_store_failure_is_never_reported_as_success(StoreStatus status, int expectedCode, string remark)
    {
        await using var kit = new BrokerTestKit();
        kit.Store.AddTopic("T");
        kit.Store.ForcedStatus = status;
        var response = await kit.InvokeAsync(SendV2("T", [1]));

        Assert.Equal(expectedCode, response.Code);
        Assert.Contains(remark, response.Remark);
        Assert.False(response.ExtFields.ContainsKey("msgId"));
    }

    [Fact]
    public async Task Oversized_message_is_illegal_and_nothing_is_stored()
    {
        await using var kit = new BrokerTestKit(o => o with { MaxMessageSizeBytes = 1024 });
        kit.Store.AddTopic("T");
        var response = await kit.InvokeAsync(SendV2("T", new byte[1025]));

        Assert.Equal(ResponseCode.MessageIllegal, response.Code);
        Assert.Contains("maxMessageSize", response.Remark);
        Assert.Equal(0, kit.Store.PutCalls);
    }

    [Fact]
    public async Task Properties_longer_than_32767_bytes_are_illegal()
    {
        await using var kit = new BrokerTestKit();
        kit.Store.AddTopic("T");
        var response = await kit.InvokeAsync(SendV2("T", [1], properties: "KEYS\u0001" + new string('k', 32_760)));

        Assert.Equal(ResponseCode.MessageIllegal, response.Code);
        Assert.Equal(0, kit.Store.PutCalls);
    }

    [Fact]
    public async Task Unknown_topic_with_auto_create_off_answers_topic_not_exist()
    {
        await using var kit = new BrokerTestKit(o => o with { AutoCreateTopicEnable = false });
        var response = await kit.InvokeAsync(SendV2("Missing", [1]));

        Assert.Equal(ResponseCode.TopicNotExist, response.Code);
        Assert.Null(kit.Store.FindTopic("Missing"));
        Assert.Equal(0, kit.Store.PutCalls);
    }

    [Fact]
    public async Task Unknown_topic_is_auto_created_with_the_smaller_of_requested_and_default_queue_counts()
    {
        await using var kit = new BrokerTestKit(o => o with { DefaultTopicQueueNums = 3 });
        int changes = 0;
        kit.Processors.Topics.TopicsChanged += () => changes++;
        var response = await kit.InvokeAsync(SendV2("Fresh", [1], defaultQueueNums: 4));

        Assert.Equal(ResponseCode.Success, response.Code);
        var topic = kit.Store.FindTopic("Fresh");
        Assert.NotNull(topic);
        Assert.Equal(3, topic.WriteQueueNums);
        Assert.Equal(1, changes);
    }

    [Theory]
    [InlineData("bad topic")]
    [InlineData("TBW102")]
    [InlineData("t/x")]
    public async Task Illegal_topic_names_are_rejected(string topic)
    {
        await using var kit = new BrokerTestKit();
        var response = await kit.InvokeAsync(SendV2(topic, [1]));

        Assert.Equal(ResponseCode.MessageIllegal, response.Code);
        Assert.Equal(0, kit.Store.PutCalls);
    }

    [Fact]
    public async Task Queue_id_beyond_the_topic_is_rejected()
    {
        await using var kit = new BrokerTestKit();
        kit.Store.AddTopic("T", queues: 2);
        var response = await kit.InvokeAsync(SendV2("T", [1], queueId: 2));

        Assert.Equal(ResponseCode.SystemError, response.Code);
        Assert.Contains("queueId[2] is illegal", response.Remark);
    }

    [Fact]
    public async Task A_transactional_send_is_stored_as_a_half_message_naming_its_real_queue_and_never_in_the_topic()
    {
        await using var kit = new BrokerTestKit();
        kit.Store.AddTopic("T");
        var response = await kit.InvokeAsync(SendV2("T", [1], properties: "TRAN_MSG\u0001true\u0002DELAY\u00013", queueId: 2,
            sysFlag: MessageSysFlag.TransactionPreparedType));

        Assert.Equal(ResponseCode.Success, response.Code);
        Assert.Equal("2", response.ExtFields["queueId"]);
        Assert.Empty(kit.Store.Messages("T", 2));
        Assert.Empty(kit.Store.Messages(SystemNames.ScheduleTopic, 2));
        var half = Assert.Single(kit.Store.Messages(SystemNames.TransactionHalfTopic, 0));
        Assert.Equal(("T", "2", "true", "PG"), (half.Properties["REAL_TOPIC"], half.Properties["REAL_QID"], half.Properties["TRAN_MSG"], half.Properties["PGROUP"]));
        Assert.Null(half.Properties["DELAY"]);
        Assert.Equal(MessageSysFlag.TransactionNotType, MessageSysFlag.GetTransactionValue(half.SysFlag));
    }

    [Fact]
    public async Task A_batch_of_transactional_messages_is_refused_and_nothing_is_stored()
    {
        await using var kit = new BrokerTestKit();
        kit.Store.AddTopic("T");
        var body = new byte[64];
        int length = BatchMessageCodec.Encode(body, 0, [1], "TRAN_MSG\u0001true"u8);
        var response = await kit.InvokeAsync(SendV2("T", body[..length], properties: "TRAN_MSG\u0001true",
            sysFlag: MessageSysFlag.TransactionPreparedType, code: RequestCode.SendBatchMessage));

        Assert.Equal(ResponseCode.MessageIllegal, response.Code);
        Assert.Equal(0, kit.Store.PutCalls);
    }

    [Fact]
    public async Task A_retry_send_that_exhausted_its_reconsume_times_goes_to_the_dead_letter_queue()
    {
        await using var kit = new BrokerTestKit();
        kit.Store.AddTopic("%RETRY%CG", queues: 1);
        var response = await kit.InvokeAsync(SendV2("%RETRY%CG", [1], reconsumeTimes: 3, maxReconsumeTimes: 3));

        Assert.Equal(ResponseCode.Success, response.Code);
        Assert.Empty(kit.Store.Messages("%RETRY%CG", 0));
        var dead = Assert.Single(kit.Store.Messages("%DLQ%CG", 0));
        Assert.Equal(3, dead.ReconsumeTimes);
        Assert.NotNull(kit.Store.FindTopic("%DLQ%CG"));
    }
}
