using System.Text;
using RaftMq.Client.Producer;
using RaftMq.Client.Tests.Fakes;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Messages;

namespace RaftMq.Client.Tests.Producer;

public sealed class ProducerSendTests
{
    [Fact]
    public async Task Sync_send_stores_the_message_with_tags_keys_and_a_unique_key()
    {
        await using var cluster = new FakeCluster("broker-a");
        cluster[0].CreateTopic("T", 4);
        var producer = await cluster.StartProducerAsync();
        var message = new Message("T", "hello"u8.ToArray(), tags: "TagA", keys: "k1");
        message.SetProperty("color", "blue");

        var result = await producer.SendAsync(message);

        Assert.Equal(SendStatus.SendOk, result.Status);
        Assert.Equal(message.GetProperty(MessageProperty.UniqueClientMessageIdKeyIndex), result.MsgId);
        var stored = Assert.Single(cluster[0].Messages("T", result.Queue.QueueId));
        Assert.Equal("hello", Encoding.UTF8.GetString(stored.Body));
        Assert.Equal("TagA", stored.Tags);
        Assert.Equal("k1", stored.Keys);
        Assert.Equal("blue", stored.Properties["color"]);
        Assert.Equal(result.MsgId, stored.MsgId);
        Assert.Equal(stored.OffsetMsgId, result.OffsetMsgId);
        Assert.Equal(0, result.QueueOffset);
    }

    [Fact]
    public async Task Async_sends_in_flight_together_all_succeed_with_distinct_positions()
    {
        await using var cluster = new FakeCluster("broker-a");
        cluster[0].CreateTopic("T", 4);
        var producer = await cluster.StartProducerAsync();

        var sends = Enumerable.Range(0, 50).Select(i => producer.SendAsync(new Message("T", Encoding.UTF8.GetBytes("m" + i)))).ToList();
        var results = await Task.WhenAll(sends);

        Assert.All(results, r => Assert.Equal(SendStatus.SendOk, r.Status));
        Assert.Equal(50, results.Select(r => (r.Queue.QueueId, r.QueueOffset)).Distinct().Count());
        Assert.Equal(50, cluster[0].Messages("T").Count);
        Assert.True(results.Select(r => r.Queue.QueueId).Distinct().Count() > 1, "round robin spreads sends over the queues");
    }

    [Fact]
    public async Task Oneway_send_reaches_the_broker()
    {
        await using var cluster = new FakeCluster("broker-a");
        cluster[0].CreateTopic("T", 2);
        var producer = await cluster.StartProducerAsync();

        await producer.SendOnewayAsync(new Message("T", "fire-and-forget"u8.ToArray()));

        await FakeCluster.WaitUntilAsync(() => cluster[0].Messages("T").Count == 1, "the oneway message is stored");
    }

    [Fact]
    public async Task Batch_lands_in_one_queue_in_order_with_one_id_per_message()
    {
        await using var cluster = new FakeCluster("broker-a");
        cluster[0].CreateTopic("T", 4);
        var producer = await cluster.StartProducerAsync();
        var batch = Enumerable.Range(0, 3).Select(i => new Message("T", Encoding.UTF8.GetBytes("b" + i), tags: "Tag" + i)).ToList();

        var result = await producer.SendBatchAsync(batch);

        var stored = cluster[0].Messages("T", result.Queue.QueueId);
        Assert.Equal(["b0", "b1", "b2"], stored.Select(m => Encoding.UTF8.GetString(m.Body)));
        Assert.Equal(["Tag0", "Tag1", "Tag2"], stored.Select(m => m.Tags));
        Assert.Equal(string.Join(",", stored.Select(m => m.MsgId)), result.MsgId);
        Assert.Equal(3, result.OffsetMsgId.Split(',').Length);
        Assert.Equal(1, cluster[0].Count(RequestCode.SendBatchMessage));
    }

    [Fact]
    public async Task Batch_with_mixed_topics_is_refused_before_sending()
    {
        await using var cluster = new FakeCluster("broker-a");
        cluster[0].CreateTopic("T", 1);
        var producer = await cluster.StartProducerAsync();

        var error = await Assert.ThrowsAsync<MQClientException>(() =>
            producer.SendBatchAsync([new Message("T", [1]), new Message("U", [2])]));

        Assert.Equal(ResponseCode.MessageIllegal, error.ResponseCode);
        Assert.Equal(0, cluster[0].Count(RequestCode.SendBatchMessage));
    }

    [Fact]
    public async Task Selector_sends_every_message_with_the_same_key_to_the_same_queue()
    {
        await using var cluster = new FakeCluster("broker-a");
        cluster[0].CreateTopic("T", 4);
        var producer = await cluster.StartProducerAsync();
        MessageQueueSelector byOrderId = (queues, _, argument) => queues[(int)argument! % queues.Count];

        var results = new List<SendResult>();
        for (int i = 0; i < 12; i++) results.Add(await producer.SendAsync(new Message("T", [(byte)i]), byOrderId, 7));

        Assert.Single(results.Select(r => r.Queue.QueueId).Distinct());
        Assert.Equal(3, results[0].Queue.QueueId);
        Assert.Equal(Enumerable.Range(0, 12).Select(i => (long)i), results.Select(r => r.QueueOffset));
    }

    [Fact]
    public async Task Delay_level_and_user_flag_travel_with_the_message()
    {
        await using var cluster = new FakeCluster("broker-a");
        cluster[0].CreateTopic("T", 1);
        var producer = await cluster.StartProducerAsync();

        await producer.SendAsync(new Message("T", [1]) { DelayTimeLevel = 3, Flag = 42 });

        var stored = Assert.Single(cluster[0].Messages("T"));
        Assert.Equal("3", stored.Properties[MessageProperty.DelayTimeLevel]);
        Assert.Equal(42, stored.Flag);
        Assert.Equal([3], cluster[0].RequestedDelayLevels);
    }

    [Fact]
    public async Task Unknown_topic_is_created_through_the_template_route()
    {
        await using var cluster = new FakeCluster("broker-a");
        cluster[0].CreateTopic("TBW102", 8);
        var producer = await cluster.StartProducerAsync();

        var result = await producer.SendAsync(new Message("Fresh", [1]));

        Assert.Equal(SendStatus.SendOk, result.Status);
        Assert.True(cluster[0].HasTopic("Fresh"));
        Assert.True(result.Queue.QueueId < 4, "an auto-created topic gets DefaultTopicQueueNums queues");
    }

    [Fact]
    public async Task Topic_without_route_fails_with_topic_not_exist()
    {
        await using var cluster = new FakeCluster("broker-a");
        var producer = await cluster.StartProducerAsync(cluster.ProducerOptions() with { CreateTopicKey = null });

        var error = await Assert.ThrowsAsync<MQClientException>(() => producer.SendAsync(new Message("Nowhere", [1])));

        Assert.Equal(ResponseCode.TopicNotExist, error.ResponseCode);
    }

    [Fact]
    public async Task Large_bodies_are_compressed_on_the_wire()
    {
        await using var cluster = new FakeCluster("broker-a");
        cluster[0].CreateTopic("T", 1);
        var producer = await cluster.StartProducerAsync();
        byte[] body = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("compressible text ", 1000)));

        await producer.SendAsync(new Message("T", body));
        await producer.SendAsync(new Message("T", "small"u8.ToArray()));

        var stored = cluster[0].Messages("T");
        Assert.True(MessageSysFlag.IsCompressed(stored[0].SysFlag));
        Assert.True(stored[0].Body.Length < body.Length / 4);
        Assert.False(MessageSysFlag.IsCompressed(stored[1].SysFlag));
    }

    [Fact]
    public async Task Invalid_messages_are_refused_with_message_illegal()
    {
        await using var cluster = new FakeCluster("broker-a");
        var producer = await cluster.StartProducerAsync(cluster.ProducerOptions() with { MaxMessageSizeBytes = 1024, CompressBodyThresholdBytes = 1 << 20 });

        var empty = await Assert.ThrowsAsync<MQClientException>(() => producer.SendAsync(new Message("T", [])));
        var badTopic = await Assert.ThrowsAsync<MQClientException>(() => producer.SendAsync(new Message("bad topic", [1])));
        var tooBig = await Assert.ThrowsAsync<MQClientException>(() => producer.SendAsync(new Message("T", new byte[2048])));

        Assert.All([empty, badTopic, tooBig], e => Assert.Equal(ResponseCode.MessageIllegal, e.ResponseCode));
    }
}
