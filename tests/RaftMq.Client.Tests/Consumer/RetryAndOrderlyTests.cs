using System.Collections.Concurrent;
using System.Text;
using RaftMq.Client.Consumer;
using RaftMq.Client.Producer;
using RaftMq.Client.Tests.Fakes;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Messages;

namespace RaftMq.Client.Tests.Consumer;

public sealed class RetryAndOrderlyTests
{
    private static async Task<PushConsumer> StartAsync(FakeCluster cluster, PushConsumerOptions options, ConcurrentMessageHandler handler)
    {
        var consumer = cluster.Own(new PushConsumer(options));
        consumer.Subscribe("T");
        await consumer.StartAsync(handler);
        return consumer;
    }

    /// <summary>Fails the first delivery of every message, accepts redeliveries, and records every delivery.</summary>
    private static ConcurrentMessageHandler FailFirstDelivery(ConcurrentQueue<MessageExt> deliveries) => (messages, _, _) =>
    {
        foreach (var message in messages) deliveries.Enqueue(message);
        return ValueTask.FromResult(messages[0].ReconsumeTimes == 0 ? ConsumeResult.ReconsumeLater : ConsumeResult.Success);
    };

    [Fact]
    public async Task Failed_message_is_sent_back_and_redelivered_from_the_retry_topic_as_the_original()
    {
        await using var cluster = new FakeCluster("broker-a");
        cluster[0].CreateTopic("T", 1);
        var deliveries = new ConcurrentQueue<MessageExt>();
        await StartAsync(cluster, cluster.ConsumerOptions("G"), FailFirstDelivery(deliveries));
        var producer = await cluster.StartProducerAsync();

        var sent = await producer.SendAsync(new Message("T", "order-1"u8.ToArray(), tags: "TagA"));

        await FakeCluster.WaitUntilAsync(() => deliveries.Count >= 2, "the message is delivered twice");
        var retried = deliveries.ElementAt(1);
        Assert.Equal("T", retried.Topic);
        Assert.Equal(1, retried.ReconsumeTimes);
        Assert.Equal(sent.MsgId, retried.MsgId);
        Assert.Equal("order-1", Encoding.UTF8.GetString(retried.Body));
        Assert.Equal("TagA", retried.Tags);
        Assert.Equal(1, cluster[0].Count(RequestCode.ConsumerSendMsgBack));
        Assert.Single(cluster[0].Messages("%RETRY%G"));
        Assert.Equal([3], cluster[0].RequestedDelayLevels);
    }

    [Fact]
    public async Task When_send_back_is_refused_the_client_resends_to_the_retry_topic_itself()
    {
        await using var cluster = new FakeCluster("broker-a");
        cluster[0].CreateTopic("T", 1);
        cluster[0].RefuseSendBack = true;
        var deliveries = new ConcurrentQueue<MessageExt>();
        await StartAsync(cluster, cluster.ConsumerOptions("G"), FailFirstDelivery(deliveries));
        var producer = await cluster.StartProducerAsync();

        var sent = await producer.SendAsync(new Message("T", "payload"u8.ToArray()));

        await FakeCluster.WaitUntilAsync(() => deliveries.Count >= 2, "the message is delivered twice");
        var stored = Assert.Single(cluster[0].Messages("%RETRY%G"));
        Assert.Equal("T", stored.Properties[MessageProperty.RetryTopic]);
        Assert.Equal(sent.MsgId, stored.Properties[MessageProperty.OriginMessageId]);
        Assert.Equal(1, stored.ReconsumeTimes);
        Assert.Equal("3", stored.Properties[MessageProperty.DelayTimeLevel]);
        var retried = deliveries.ElementAt(1);
        Assert.Equal("T", retried.Topic);
        Assert.Equal("payload", Encoding.UTF8.GetString(retried.Body));
    }

    [Fact]
    public async Task A_handler_that_throws_counts_as_a_failure()
    {
        await using var cluster = new FakeCluster("broker-a");
        cluster[0].CreateTopic("T", 1);
        int calls = 0;
        await StartAsync(cluster, cluster.ConsumerOptions("G"), (messages, _, _) =>
        {
            if (Interlocked.Increment(ref calls) == 1) throw new InvalidOperationException("boom");
            return ValueTask.FromResult(ConsumeResult.Success);
        });
        var producer = await cluster.StartProducerAsync();

        await producer.SendAsync(new Message("T", [1]));

        await FakeCluster.WaitUntilAsync(() => Volatile.Read(ref calls) >= 2, "the message comes back after the exception");
        Assert.Equal(1, cluster[0].Count(RequestCode.ConsumerSendMsgBack));
    }

    [Fact]
    public async Task Orderly_consumer_sees_each_queue_in_send_order_even_after_suspends()
    {
        await using var cluster = new FakeCluster("broker-a");
        cluster[0].CreateTopic("T", 4);
        var seen = new ConcurrentDictionary<int, List<int>>();
        int suspends = 0;
        var consumer = cluster.Own(new PushConsumer(cluster.ConsumerOptions("O") with { ConsumeBatchMaxSize = 2 }));
        consumer.Subscribe("T");
        await consumer.StartAsync((messages, context, _) =>
        {
            int first = messages[0].Body[0];
            if (first % 7 == 3 && messages[0].ReconsumeTimes == 0)
            {
                Interlocked.Increment(ref suspends);
                return ValueTask.FromResult(OrderlyConsumeResult.SuspendCurrentQueueAMoment);
            }
            var list = seen.GetOrAdd(context.Queue.QueueId, _ => []);
            lock (list) list.AddRange(messages.Select(m => (int)m.Body[0]));
            return ValueTask.FromResult(OrderlyConsumeResult.Success);
        });
        Assert.All(consumer.AssignedQueues.Where(q => q.Topic == "T"), q => Assert.Equal(consumer.ClientId, cluster[0].LockHolder("O", q)));
        var producer = await cluster.StartProducerAsync();
        MessageQueueSelector byOrder = (queues, _, argument) => queues[(int)argument! % queues.Count];

        for (int i = 0; i < 100; i++) await producer.SendAsync(new Message("T", [(byte)i]), byOrder, i % 4);

        await FakeCluster.WaitUntilAsync(() => seen.Values.Sum(l => { lock (l) return l.Count; }) >= 100, "all 100 messages are consumed");
        Assert.True(Volatile.Read(ref suspends) > 0);
        foreach (var (queueId, values) in seen)
        {
            Assert.Equal(Enumerable.Range(0, 100).Where(i => i % 4 == queueId), values);
        }
        Assert.Equal(0, cluster[0].Count(RequestCode.ConsumerSendMsgBack));
    }

    [Fact]
    public async Task Orderly_queues_handed_over_between_consumers_continue_exactly_where_they_stopped()
    {
        await using var cluster = new FakeCluster("broker-a");
        cluster[0].CreateTopic("T", 4);
        var perQueue = new ConcurrentDictionary<int, List<int>>();
        OrderlyMessageHandler record = (messages, context, _) =>
        {
            var list = perQueue.GetOrAdd(context.Queue.QueueId, _ => []);
            lock (list) list.AddRange(messages.Select(m => (int)m.Body[0]));
            return ValueTask.FromResult(OrderlyConsumeResult.Success);
        };
        // FIRST: a queue that changes owner before anything was committed on it must not skip what arrived meanwhile.
        PushConsumerOptions Options() => cluster.ConsumerOptions("O") with { ConsumeFromWhere = ConsumeFromWhere.ConsumeFromFirstOffset };
        var c1 = cluster.Own(new PushConsumer(Options()));
        c1.Subscribe("T");
        await c1.StartAsync(record);
        var c2 = new PushConsumer(Options());
        c2.Subscribe("T");
        await c2.StartAsync(record);
        await FakeCluster.WaitUntilAsync(() => c1.AssignedQueues.Count(q => q.Topic == "T") == 2, "the queues are split");
        var producer = await cluster.StartProducerAsync();
        MessageQueueSelector byOrder = (queues, _, argument) => queues[(int)argument! % queues.Count];
        int Total() => perQueue.Values.Sum(l => { lock (l) return l.Count; });

        for (int i = 0; i < 40; i++) await producer.SendAsync(new Message("T", [(byte)i]), byOrder, i % 4);
        await FakeCluster.WaitUntilAsync(() => Total() >= 40, "the first 40 messages are consumed");
        await c2.DisposeAsync();
        await FakeCluster.WaitUntilAsync(() => c1.AssignedQueues.Count(q => q.Topic == "T") == 4, "the survivor takes every queue");
        for (int i = 40; i < 80; i++) await producer.SendAsync(new Message("T", [(byte)i]), byOrder, i % 4);

        await FakeCluster.WaitUntilAsync(() => Total() >= 80, "all 80 messages are consumed");
        foreach (var (queueId, values) in perQueue) Assert.Equal(Enumerable.Range(0, 80).Where(i => i % 4 == queueId), values);
    }

    [Fact]
    public async Task Orderly_consumer_releases_its_locks_and_commits_at_shutdown()
    {
        await using var cluster = new FakeCluster("broker-a");
        cluster[0].CreateTopic("T", 2);
        var consumer = new PushConsumer(cluster.ConsumerOptions("O"));
        consumer.Subscribe("T");
        int consumed = 0;
        await consumer.StartAsync((messages, _, _) =>
        {
            Interlocked.Add(ref consumed, messages.Count);
            return ValueTask.FromResult(OrderlyConsumeResult.Success);
        });
        var producer = await cluster.StartProducerAsync();
        for (int i = 0; i < 6; i++) await producer.SendAsync(new Message("T", [(byte)i]));
        await FakeCluster.WaitUntilAsync(() => Volatile.Read(ref consumed) == 6, "six messages are consumed");
        var queues = consumer.AssignedQueues.Where(q => q.Topic == "T").ToList();

        await consumer.DisposeAsync();

        Assert.All(queues, q => Assert.Null(cluster[0].LockHolder("O", q)));
        Assert.Equal(6, cluster[0].ConsumerOffset("O", "T", 0) + cluster[0].ConsumerOffset("O", "T", 1));
    }

    [Fact]
    public async Task Broker_notification_triggers_an_immediate_rebalance()
    {
        await using var cluster = new FakeCluster("broker-a");
        cluster[0].CreateTopic("T", 2);
        var slow = cluster.ConsumerOptions("G") with { RebalanceInterval = TimeSpan.FromMinutes(10) };
        var c1 = await StartAsync(cluster, slow, (_, _, _) => ValueTask.FromResult(ConsumeResult.Success));
        Assert.Equal(2, c1.AssignedQueues.Count(q => q.Topic == "T"));

        var c2 = await StartAsync(cluster, slow with { InstanceName = FakeCluster.NewInstanceName() }, (_, _, _) => ValueTask.FromResult(ConsumeResult.Success));

        await FakeCluster.WaitUntilAsync(
            () => c1.AssignedQueues.Count(q => q.Topic == "T") == 1 && c2.AssignedQueues.Count(q => q.Topic == "T") == 1,
            "both consumers rebalance without waiting for the 10-minute interval");
    }
}
