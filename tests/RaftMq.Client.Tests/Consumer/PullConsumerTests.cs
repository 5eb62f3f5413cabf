using System.Text;
using RaftMq.Client.Consumer;
using RaftMq.Client.Tests.Fakes;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Messages;

namespace RaftMq.Client.Tests.Consumer;

public sealed class PullConsumerTests
{
    private static async Task<PullConsumer> StartAsync(FakeCluster cluster)
    {
        var consumer = cluster.Own(new PullConsumer(cluster.PullConsumerOptions("P")));
        await consumer.StartAsync();
        return consumer;
    }

    [Fact]
    public async Task Pull_returns_stored_messages_then_no_new_message_at_the_end()
    {
        await using var cluster = new FakeCluster("broker-a");
        cluster[0].CreateTopic("T", 1);
        var producer = await cluster.StartProducerAsync();
        for (int i = 0; i < 5; i++) await producer.SendAsync(new Message("T", Encoding.UTF8.GetBytes("m" + i)));
        var consumer = await StartAsync(cluster);

        var queue = Assert.Single(await consumer.FetchSubscribeMessageQueuesAsync("T"));
        var found = await consumer.PullAsync(queue, "*", 0, 32);
        var end = await consumer.PullAsync(queue, "*", found.NextBeginOffset, 32);

        Assert.Equal(PullStatus.Found, found.Status);
        Assert.Equal(["m0", "m1", "m2", "m3", "m4"], found.Messages.Select(m => Encoding.UTF8.GetString(m.Body)));
        Assert.Equal(5, found.NextBeginOffset);
        Assert.Equal(5, found.MaxOffset);
        Assert.Equal("5", found.Messages[0].GetProperty(MessageProperty.MaxOffset));
        Assert.Equal(PullStatus.NoNewMessage, end.Status);
        Assert.Empty(end.Messages);
    }

    [Fact]
    public async Task Pull_filters_by_tag_and_reports_illegal_offsets()
    {
        await using var cluster = new FakeCluster("broker-a");
        cluster[0].CreateTopic("T", 1);
        var producer = await cluster.StartProducerAsync();
        await producer.SendAsync(new Message("T", [1], tags: "TagA"));
        await producer.SendAsync(new Message("T", [2], tags: "TagB"));
        var consumer = await StartAsync(cluster);
        var queue = new MessageQueue { Topic = "T", BrokerName = "broker-a", QueueId = 0 };

        var onlyB = await consumer.PullAsync(queue, "TagB", 0, 32);
        var beyond = await consumer.PullAsync(queue, "*", 99, 32);

        Assert.Equal([(byte)2], Assert.Single(onlyB.Messages).Body);
        Assert.Equal(PullStatus.OffsetIllegal, beyond.Status);
        Assert.Equal(2, beyond.NextBeginOffset);
    }

    [Fact]
    public async Task Blocking_pull_waits_for_the_next_message()
    {
        await using var cluster = new FakeCluster("broker-a");
        cluster[0].CreateTopic("T", 1);
        var producer = await cluster.StartProducerAsync();
        var consumer = await StartAsync(cluster);
        var queue = new MessageQueue { Topic = "T", BrokerName = "broker-a", QueueId = 0 };

        var pull = consumer.PullBlockIfNotFoundAsync(queue, "*", 0, 32);
        await FakeCluster.WaitUntilAsync(() => cluster[0].PullCount("T") == 1, "the pull is parked on the broker");
        Assert.False(pull.IsCompleted);
        await producer.SendAsync(new Message("T", "late"u8.ToArray()));
        var result = await pull;

        Assert.Equal(PullStatus.Found, result.Status);
        Assert.Equal("late", Encoding.UTF8.GetString(Assert.Single(result.Messages).Body));
    }

    [Fact]
    public async Task Committed_offset_round_trips_through_the_broker()
    {
        await using var cluster = new FakeCluster("broker-a");
        cluster[0].CreateTopic("T", 2);
        var consumer = await StartAsync(cluster);
        var queue = new MessageQueue { Topic = "T", BrokerName = "broker-a", QueueId = 1 };

        long before = await consumer.FetchConsumeOffsetAsync(queue);
        await consumer.UpdateConsumeOffsetAsync(queue, 17);
        long after = await consumer.FetchConsumeOffsetAsync(queue);

        Assert.Equal(-1, before);
        Assert.Equal(17, after);
        Assert.Equal(17, cluster[0].ConsumerOffset("P", "T", 1));
        Assert.Equal(0, await consumer.MaxOffsetAsync(queue));
        Assert.Equal(0, await consumer.MinOffsetAsync(queue));
    }

    [Fact]
    public async Task Pull_follows_the_new_master_when_the_old_one_is_gone()
    {
        await using var cluster = new FakeCluster("group-0");
        cluster[0].CreateTopic("T", 1);
        var consumer = await StartAsync(cluster);
        var queue = Assert.Single(await consumer.FetchSubscribeMessageQueuesAsync("T"));
        await consumer.PullAsync(queue, "*", 0, 1);

        var newLeader = cluster.Own(new FakeBroker(cluster.NameServer, "group-0"));
        newLeader.CreateTopic("T", 1);
        var producer = await cluster.StartProducerAsync();
        await producer.SendAsync(new Message("T", [9]));
        var oldLeader = cluster[0];
        await oldLeader.DisposeAsync();
        cluster.Brokers.Remove(oldLeader);

        var result = await consumer.PullAsync(queue, "*", 0, 32);

        Assert.Equal([(byte)9], Assert.Single(result.Messages).Body);
        Assert.Equal(1, newLeader.Count(RequestCode.PullMessage));
    }
}
