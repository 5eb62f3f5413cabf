using System.Collections.Concurrent;
using System.Text;
using RaftMq.Client.Consumer;
using RaftMq.Client.Tests.Fakes;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Codes;

namespace RaftMq.Client.Tests.Consumer;

public sealed class PushConsumerTests
{
    private static ConcurrentMessageHandler Collect(ConcurrentQueue<MessageExt> into) => (messages, _, _) =>
    {
        foreach (var message in messages) into.Enqueue(message);
        return ValueTask.FromResult(ConsumeResult.Success);
    };

    private static string Text(MessageExt message) => Encoding.UTF8.GetString(message.Body);

    private static async Task<PushConsumer> StartAsync(FakeCluster cluster, PushConsumerOptions options, ConcurrentMessageHandler handler, string topic = "T", string expression = "*")
    {
        var consumer = cluster.Own(new PushConsumer(options));
        consumer.Subscribe(topic, expression);
        await consumer.StartAsync(handler);
        return consumer;
    }

    [Fact]
    public async Task Consumer_receives_messages_sent_after_it_started()
    {
        await using var cluster = new FakeCluster("broker-a");
        cluster[0].CreateTopic("T", 4);
        var received = new ConcurrentQueue<MessageExt>();
        var consumer = await StartAsync(cluster, cluster.ConsumerOptions("G"), Collect(received));
        var producer = await cluster.StartProducerAsync();

        for (int i = 0; i < 20; i++) await producer.SendAsync(new Message("T", Encoding.UTF8.GetBytes("m" + i), tags: "TagA"));

        await FakeCluster.WaitUntilAsync(() => received.Count >= 20, "20 messages are consumed");
        Assert.Equal(Enumerable.Range(0, 20).Select(i => "m" + i).Order(), received.Select(Text).Order());
        var first = received.First();
        Assert.Equal("T", first.Topic);
        Assert.Equal("broker-a", first.BrokerName);
        Assert.Equal("TagA", first.Tags);
        Assert.Equal(32, first.OffsetMsgId.Length);
        Assert.Equal(4, consumer.AssignedQueues.Count(q => q.Topic == "T"));
    }

    [Fact]
    public async Task Two_clustering_consumers_split_the_queues_and_one_takes_over_when_the_other_leaves()
    {
        await using var cluster = new FakeCluster("broker-a");
        cluster[0].CreateTopic("T", 4);
        var first = new ConcurrentQueue<MessageExt>();
        var second = new ConcurrentQueue<MessageExt>();
        var c1 = await StartAsync(cluster, cluster.ConsumerOptions("G"), Collect(first));
        var c2 = await StartAsync(cluster, cluster.ConsumerOptions("G"), Collect(second));

        await FakeCluster.WaitUntilAsync(
            () => c1.AssignedQueues.Count(q => q.Topic == "T") == 2 && c2.AssignedQueues.Count(q => q.Topic == "T") == 2,
            "each consumer holds two of the four queues");
        Assert.Empty(c1.AssignedQueues.Intersect(c2.AssignedQueues));

        var producer = await cluster.StartProducerAsync();
        for (int i = 0; i < 40; i++) await producer.SendAsync(new Message("T", Encoding.UTF8.GetBytes("a" + i)));
        await FakeCluster.WaitUntilAsync(() => first.Count + second.Count >= 40, "40 messages are consumed");
        Assert.NotEmpty(first);
        Assert.NotEmpty(second);
        Assert.Equal(40, first.Concat(second).Select(Text).Distinct().Count());

        await c2.DisposeAsync();
        await FakeCluster.WaitUntilAsync(() => c1.AssignedQueues.Count(q => q.Topic == "T") == 4, "the remaining consumer takes every queue");
        for (int i = 0; i < 20; i++) await producer.SendAsync(new Message("T", Encoding.UTF8.GetBytes("b" + i)));
        await FakeCluster.WaitUntilAsync(() => first.Count(m => Text(m).StartsWith('b')) >= 20, "the survivor consumes the new messages");
    }

    [Fact]
    public async Task Broadcasting_consumers_each_receive_every_message_and_keep_offsets_in_a_file()
    {
        await using var cluster = new FakeCluster("broker-a");
        cluster[0].CreateTopic("T", 2);
        var first = new ConcurrentQueue<MessageExt>();
        var second = new ConcurrentQueue<MessageExt>();
        var c1 = await StartAsync(cluster, cluster.ConsumerOptions("B", MessageModel.Broadcasting), Collect(first));
        await StartAsync(cluster, cluster.ConsumerOptions("B", MessageModel.Broadcasting), Collect(second));
        var producer = await cluster.StartProducerAsync();

        for (int i = 0; i < 10; i++) await producer.SendAsync(new Message("T", Encoding.UTF8.GetBytes("m" + i)));

        await FakeCluster.WaitUntilAsync(() => first.Count >= 10 && second.Count >= 10, "both consumers get all 10 messages");
        await c1.DisposeAsync();
        string file = Assert.Single(Directory.GetFiles(cluster.OffsetDirectory, "offsets.json", SearchOption.AllDirectories), f => f.Contains(c1.ClientId.Replace(':', '_')));
        Assert.Contains("\"offset\": ", File.ReadAllText(file));
        Assert.Equal(-1, cluster[0].ConsumerOffset("B", "T", 0));
        Assert.False(cluster[0].HasTopic("%RETRY%B"), "broadcasting consumers have no retry topic");
    }

    [Fact]
    public async Task Broadcasting_consumer_restarted_with_the_same_identity_resumes_from_its_offset_file()
    {
        await using var cluster = new FakeCluster("broker-a");
        cluster[0].CreateTopic("T", 2);
        var producer = await cluster.StartProducerAsync();
        var options = cluster.ConsumerOptions("B", MessageModel.Broadcasting) with { ConsumeFromWhere = ConsumeFromWhere.ConsumeFromFirstOffset };
        var before = new ConcurrentQueue<MessageExt>();
        var first = await StartAsync(cluster, options, Collect(before));
        for (int i = 0; i < 5; i++) await producer.SendAsync(new Message("T", Encoding.UTF8.GetBytes("old" + i)));
        await FakeCluster.WaitUntilAsync(() => before.Count >= 5, "five messages are consumed");
        await first.DisposeAsync();

        for (int i = 0; i < 3; i++) await producer.SendAsync(new Message("T", Encoding.UTF8.GetBytes("new" + i)));
        var after = new ConcurrentQueue<MessageExt>();
        await StartAsync(cluster, options, Collect(after));

        await FakeCluster.WaitUntilAsync(() => after.Count >= 3, "the three new messages are consumed");
        await Task.Delay(300);
        Assert.Equal("new0,new1,new2", string.Join(",", after.Select(Text).Order()));
    }

    [Fact]
    public async Task Tag_subscription_delivers_only_the_named_tags_and_moves_the_offset_past_the_rest()
    {
        await using var cluster = new FakeCluster("broker-a");
        cluster[0].CreateTopic("T", 1);
        var received = new ConcurrentQueue<MessageExt>();
        var consumer = await StartAsync(cluster, cluster.ConsumerOptions("G"), Collect(received), expression: "TagA || TagB");
        var producer = await cluster.StartProducerAsync();

        foreach (string tag in new[] { "TagA", "TagC", "TagB", "TagC", "TagA" }) await producer.SendAsync(new Message("T", Encoding.UTF8.GetBytes(tag), tags: tag));
        await producer.SendAsync(new Message("T", "untagged"u8.ToArray()));

        await FakeCluster.WaitUntilAsync(() => received.Count >= 3, "the three matching messages arrive");
        await consumer.PersistOffsetsAsync();
        await FakeCluster.WaitUntilAsync(() => cluster[0].ConsumerOffset("G", "T", 0) == 6, "the committed offset passes the filtered messages");
        Assert.Equal(["TagA", "TagA", "TagB"], received.Select(m => m.Tags!).Order());
    }

    [Fact]
    public async Task Offsets_are_committed_and_a_restarted_group_resumes_after_them()
    {
        await using var cluster = new FakeCluster("broker-a");
        cluster[0].CreateTopic("T", 2);
        var producer = await cluster.StartProducerAsync();
        var before = new ConcurrentQueue<MessageExt>();
        var consumer = await StartAsync(cluster, cluster.ConsumerOptions("G"), Collect(before));
        for (int i = 0; i < 10; i++) await producer.SendAsync(new Message("T", Encoding.UTF8.GetBytes("old" + i)));
        await FakeCluster.WaitUntilAsync(() => before.Count >= 10, "the first consumer gets 10 messages");
        await consumer.DisposeAsync();
        Assert.Equal(10, cluster[0].ConsumerOffset("G", "T", 0) + cluster[0].ConsumerOffset("G", "T", 1));

        for (int i = 0; i < 5; i++) await producer.SendAsync(new Message("T", Encoding.UTF8.GetBytes("new" + i)));
        var after = new ConcurrentQueue<MessageExt>();
        await StartAsync(cluster, cluster.ConsumerOptions("G") with { ConsumeFromWhere = ConsumeFromWhere.ConsumeFromFirstOffset }, Collect(after));

        await FakeCluster.WaitUntilAsync(() => after.Count >= 5, "the restarted group gets the 5 new messages");
        await Task.Delay(300);
        Assert.Equal("new0,new1,new2,new3,new4", string.Join(",", after.Select(Text).Order()));
    }

    [Fact]
    public async Task Consume_from_first_offset_starts_a_new_group_at_the_beginning()
    {
        await using var cluster = new FakeCluster("broker-a");
        cluster[0].CreateTopic("T", 1);
        var producer = await cluster.StartProducerAsync();
        for (int i = 0; i < 3; i++) await producer.SendAsync(new Message("T", [(byte)i]));
        var received = new ConcurrentQueue<MessageExt>();

        await StartAsync(cluster, cluster.ConsumerOptions("Fresh") with { ConsumeFromWhere = ConsumeFromWhere.ConsumeFromFirstOffset }, Collect(received));

        await FakeCluster.WaitUntilAsync(() => received.Count >= 3, "the earlier messages are consumed");
        Assert.Equal([0L, 1L, 2L], received.Select(m => m.QueueOffset).Order());
    }

    [Fact]
    public async Task Consume_from_timestamp_starts_at_the_first_message_stored_at_or_after_it()
    {
        await using var cluster = new FakeCluster("broker-a");
        cluster[0].CreateTopic("T", 1);
        var producer = await cluster.StartProducerAsync();
        for (int i = 0; i < 3; i++) await producer.SendAsync(new Message("T", Encoding.UTF8.GetBytes("early" + i)));
        var lastEarly = cluster[0].Messages("T", 0)[^1].StoreTimestamp;
        await FakeCluster.WaitUntilAsync(() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() > lastEarly + 5, "the clock moves past the early messages");
        var startAt = DateTimeOffset.UtcNow;
        for (int i = 0; i < 2; i++) await producer.SendAsync(new Message("T", Encoding.UTF8.GetBytes("late" + i)));
        var received = new ConcurrentQueue<MessageExt>();

        var options = cluster.ConsumerOptions("Ts") with { ConsumeFromWhere = ConsumeFromWhere.ConsumeFromTimestamp, ConsumeTimestamp = startAt };
        await StartAsync(cluster, options, Collect(received));

        await FakeCluster.WaitUntilAsync(() => received.Count >= 2, "the late messages arrive");
        Assert.Equal(["late0", "late1"], received.Select(Text).Order());
        Assert.Equal(1, cluster[0].Count(RequestCode.SearchOffsetByTimestamp));
    }

    [Fact]
    public async Task Pulls_carry_the_consumed_offset_for_the_broker_to_commit()
    {
        await using var cluster = new FakeCluster("broker-a");
        cluster[0].CreateTopic("T", 1);
        var received = new ConcurrentQueue<MessageExt>();
        await StartAsync(cluster, cluster.ConsumerOptions("G") with { PersistOffsetInterval = TimeSpan.FromHours(1) }, Collect(received));
        var producer = await cluster.StartProducerAsync();

        for (int i = 0; i < 3; i++) await producer.SendAsync(new Message("T", [(byte)i]));
        await FakeCluster.WaitUntilAsync(() => received.Count >= 3, "three messages are consumed");
        await producer.SendAsync(new Message("T", [3]));

        await FakeCluster.WaitUntilAsync(() => cluster[0].ConsumerOffset("G", "T", 0) >= 3, "a pull commits the offset");
        Assert.Equal(0, cluster[0].Count(RequestCode.UpdateConsumerOffset));
    }

    [Fact]
    public async Task Consumer_follows_the_new_master_after_the_old_one_dies()
    {
        await using var cluster = new FakeCluster("group-0");
        var oldLeader = cluster[0];
        oldLeader.CreateTopic("T", 1);
        var received = new ConcurrentQueue<MessageExt>();
        var consumer = await StartAsync(cluster, cluster.ConsumerOptions("G"), Collect(received));
        await FakeCluster.WaitUntilAsync(() => oldLeader.PullCount("T") >= 1, "the consumer is pulling from the old leader");

        var newLeader = cluster.Own(new FakeBroker(cluster.NameServer, "group-0"));
        newLeader.CreateTopic("T", 1);
        await oldLeader.DisposeAsync();
        cluster.Brokers.Remove(oldLeader);
        var producer = await cluster.StartProducerAsync();
        await producer.SendAsync(new Message("T", "after failover"u8.ToArray()));

        await FakeCluster.WaitUntilAsync(() => received.Count == 1, "the message sent to the new leader is consumed");
        Assert.Equal("after failover", Text(received.Single()));
        await FakeCluster.WaitUntilAsync(() => newLeader.Consumers("G").Contains(consumer.ClientId), "the new leader gets the consumer's heartbeat");
    }

    [Fact]
    public async Task Large_compressed_bodies_arrive_decompressed()
    {
        await using var cluster = new FakeCluster("broker-a");
        cluster[0].CreateTopic("T", 1);
        var received = new ConcurrentQueue<MessageExt>();
        await StartAsync(cluster, cluster.ConsumerOptions("G"), Collect(received));
        var producer = await cluster.StartProducerAsync();
        byte[] body = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 2000).Select(i => i + ",")));

        await producer.SendAsync(new Message("T", body));

        await FakeCluster.WaitUntilAsync(() => received.Count == 1, "the message arrives");
        Assert.Equal(body, received.Single().Body);
        Assert.True(MessageSysFlag.IsCompressed(received.Single().SysFlag));
    }

    [Fact]
    public async Task Messages_are_pulled_only_up_to_the_per_queue_limit_while_the_handler_is_busy()
    {
        await using var cluster = new FakeCluster("broker-a");
        cluster[0].CreateTopic("T", 1);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int handled = 0;
        var producer = await cluster.StartProducerAsync();
        for (int i = 0; i < 40; i++) await producer.SendAsync(new Message("T", [(byte)i]));
        var options = cluster.ConsumerOptions("G") with
        {
            PullBatchSize = 4, PullThresholdForQueue = 8, ConsumeConcurrency = 1, ConsumeFromWhere = ConsumeFromWhere.ConsumeFromFirstOffset,
        };
        await StartAsync(cluster, options, async (messages, _, _) =>
        {
            await release.Task;
            Interlocked.Add(ref handled, messages.Count);
            return ConsumeResult.Success;
        });

        await FakeCluster.WaitUntilAsync(() => cluster[0].PullCount("T") >= 2, "the first pulls happen");
        await Task.Delay(500);
        int pullsWhileBlocked = cluster[0].PullCount("T");
        await Task.Delay(500);
        Assert.Equal(pullsWhileBlocked, cluster[0].PullCount("T"));
        Assert.True(pullsWhileBlocked <= 3, $"{pullsWhileBlocked} pulls of 4 messages stop at the 8-message limit");

        release.SetResult();
        await FakeCluster.WaitUntilAsync(() => Volatile.Read(ref handled) == 40, "all 40 messages are consumed once the handler frees up");
    }
}
