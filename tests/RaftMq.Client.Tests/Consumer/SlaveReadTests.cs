using System.Collections.Concurrent;
using System.Text;
using RaftMq.Client.Consumer;
using RaftMq.Client.Tests.Fakes;
using RaftMq.Protocol.Bodies;

namespace RaftMq.Client.Tests.Consumer;

/// <summary>suggestWhichBrokerId as RocketMQ's PullAPIWrapper follows it: per queue, to that broker id of the group,
/// back to the master when it is unknown or fails; offsets committed to the master only.</summary>
public sealed class SlaveReadTests
{
    private static void StoreOnBoth(FakeBroker master, FakeBroker slave, string text)
    {
        slave.StoreRaw("T", 0, 0, Encoding.UTF8.GetBytes(text), null);
        master.StoreRaw("T", 0, 0, Encoding.UTF8.GetBytes(text), null);
    }

    [Fact]
    public void The_suggested_id_is_used_else_the_next_one_else_the_master_else_any_listed_broker()
    {
        var group = new SortedDictionary<long, string> { [0] = "master", [1] = "slave-1", [3] = "slave-3" };

        Assert.Equal(new PullSource("slave-1", 1), PullSources.Choose(group, 1));
        Assert.Equal(new PullSource("slave-3", 3), PullSources.Choose(group, 2));
        Assert.Equal(new PullSource("master", 0), PullSources.Choose(group, 7));
        Assert.Equal(new PullSource("master", 0), PullSources.Choose(group, 0));
        Assert.Equal(new PullSource("slave-1", 1), PullSources.Choose(new SortedDictionary<long, string> { [1] = "slave-1", [4] = "slave-4" }, 0));
        Assert.Null(PullSources.Choose(new SortedDictionary<long, string>(), 0));
        Assert.Null(PullSources.Choose(null, 1));
    }

    [Fact]
    public async Task A_pull_consumer_pulls_where_the_last_answer_suggested_and_falls_back_to_the_master_when_the_slave_is_down()
    {
        await using var cluster = new FakeCluster("broker-a");
        var master = cluster[0];
        var slave = new FakeBroker(cluster.NameServer, "broker-a", brokerId: 1);
        master.CreateTopic("T", 1);
        slave.CreateTopic("T", 1);
        for (int i = 0; i < 3; i++) StoreOnBoth(master, slave, "m" + i);
        master.SuggestBrokerId = 1;
        var consumer = cluster.Own(new PullConsumer(cluster.PullConsumerOptions("P") with { PullRetryBackoff = TimeSpan.Zero }));
        await consumer.StartAsync();
        var queue = new MessageQueue { Topic = "T", BrokerName = "broker-a", QueueId = 0 };

        var first = await consumer.PullAsync(queue, "*", 0, 1);
        Assert.Equal((1, 0), (master.PullCount("T"), slave.PullCount("T")));
        var second = await consumer.PullAsync(queue, "*", first.NextBeginOffset, 1);
        Assert.Equal((1, 1), (master.PullCount("T"), slave.PullCount("T")));
        // The slave's answer suggests the master (0) again.
        var third = await consumer.PullAsync(queue, "*", second.NextBeginOffset, 1);
        Assert.Equal((2, 1), (master.PullCount("T"), slave.PullCount("T")));
        Assert.Equal(["m0", "m1", "m2"], new[] { first, second, third }.Select(r => Encoding.UTF8.GetString(Assert.Single(r.Messages).Body)));

        // The master sent the queue to the slave again, and the slave is gone: the pull is answered by the master.
        await slave.DisposeAsync();
        var afterSlaveDied = await consumer.PullAsync(queue, "*", 0, 3);
        Assert.Equal(3, afterSlaveDied.Messages.Count);
        Assert.Equal(3, master.PullCount("T"));
    }

    [Fact]
    public async Task A_push_consumer_reads_from_the_suggested_slave_and_commits_its_offsets_to_the_master()
    {
        await using var cluster = new FakeCluster("broker-a");
        var master = cluster[0];
        await using var slave = new FakeBroker(cluster.NameServer, "broker-a", brokerId: 1);
        master.CreateTopic("T", 1);
        slave.CreateTopic("T", 1);
        master.SuggestBrokerId = 1;
        var received = new ConcurrentQueue<string>();
        var consumer = cluster.Own(new PushConsumer(cluster.ConsumerOptions("G")));
        consumer.Subscribe("T", "*");
        await consumer.StartAsync((messages, _, _) =>
        {
            foreach (var message in messages) received.Enqueue(Encoding.UTF8.GetString(message.Body));
            return ValueTask.FromResult(ConsumeResult.Success);
        });
        await FakeCluster.WaitUntilAsync(() => consumer.AssignedQueues.Any(q => q.Topic == "T") && master.PullCount("T") > 0, "the consumer pulls T");

        for (int i = 0; i < 20; i++) StoreOnBoth(master, slave, "m" + i);

        await FakeCluster.WaitUntilAsync(() => received.Distinct().Count() == 20, "20 messages are consumed");
        Assert.True(slave.PullCount("T") > 0, "the slave served pulls");
        await FakeCluster.WaitUntilAsync(() => master.ConsumerOffset("G", "T", 0) == 20, "the offset is committed to the master");
        Assert.Equal(-1, slave.ConsumerOffset("G", "T", 0));
    }
}
