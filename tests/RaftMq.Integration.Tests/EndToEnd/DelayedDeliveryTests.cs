using System.Collections.Concurrent;
using System.Text;
using RaftMq.Client;
using RaftMq.Client.Consumer;
using RaftMq.Client.Producer;
using static RaftMq.Integration.Tests.EndToEnd.E2EClients;

namespace RaftMq.Integration.Tests.EndToEnd;

/// <summary>Delay levels, delivery times and consumer retries wait on a real group (default messageDelayLevel).</summary>
[Collection(E2EClusterCollection.Name)]
public sealed class DelayedDeliveryTests(E2ECluster cluster)
{
    [Fact]
    public async Task A_delayed_message_and_a_consumer_retry_are_delivered_after_their_delays()
    {
        const string topic = "E2EDelayed";
        await cluster.CreateTopicAsync(topic, 2);
        await using var producer = await StartProducerAsync(cluster, "e2e-delay-producer");
        var delayed = await producer.SendAsync(new Message(topic, Encoding.UTF8.GetBytes("delayed")) { DelayTimeLevel = 2 }); // 5 s
        var retried = await producer.SendAsync(new Message(topic, Encoding.UTF8.GetBytes("retried")));
        var deliverAt = DateTimeOffset.UtcNow.AddSeconds(3);
        var timed = await producer.SendAsync(new Message(topic, Encoding.UTF8.GetBytes("timed")) { DeliverAt = deliverAt });
        Assert.Equal(SendStatus.SendOk, delayed.Status);
        Assert.Equal(SendStatus.SendOk, retried.Status);
        Assert.Equal(SendStatus.SendOk, timed.Status);

        var deliveries = new ConcurrentQueue<MessageExt>();
        await using var consumer = CreateConsumer(cluster, "e2e-delay", "e2e-delay-a");
        consumer.Subscribe(topic);
        await consumer.StartAsync((messages, _, _) =>
        {
            foreach (var message in messages) deliveries.Enqueue(message);
            // The first delivery of "retried" fails: the broker must hand it back after level 3 + 0 (10 s).
            bool failOnce = messages.Any(m => Encoding.UTF8.GetString(m.Body) == "retried" && m.ReconsumeTimes == 0);
            return ValueTask.FromResult(failOnce ? ConsumeResult.ReconsumeLater : ConsumeResult.Success);
        });

        List<MessageExt> Of(string body) => deliveries.Where(m => Encoding.UTF8.GetString(m.Body) == body).ToList();
        Assert.True(await EventuallyAsync(() => Of("delayed").Count >= 1 && Of("timed").Count >= 1 && Of("retried").Count >= 2),
            $"expected the delayed and timed messages and two deliveries of the retried one, got {string.Join("; ", deliveries)}");

        var delayedCopy = Assert.Single(Of("delayed"));
        Assert.Equal(delayed.MsgId, delayedCopy.MsgId);
        // Store time of the re-delivered copy: written when due, at least 5 s after the producer sent it.
        Assert.True(delayedCopy.StoreTimestamp - delayedCopy.BornTimestamp >= 5_000,
            $"delivered {delayedCopy.StoreTimestamp - delayedCopy.BornTimestamp} ms after it was sent");
        var timedCopy = Assert.Single(Of("timed"));
        Assert.True(timedCopy.StoreTimestamp >= deliverAt.ToUnixTimeMilliseconds(),
            $"delivered {deliverAt.ToUnixTimeMilliseconds() - timedCopy.StoreTimestamp} ms before its delivery time");
        var attempts = Of("retried");
        Assert.Equal([0, 1], attempts.Select(m => m.ReconsumeTimes).Take(2));
        Assert.Equal(topic, attempts[1].Topic);
        Assert.True(attempts[1].StoreTimestamp - attempts[0].StoreTimestamp >= 10_000,
            $"retried {attempts[1].StoreTimestamp - attempts[0].StoreTimestamp} ms after the first delivery was stored");
    }

    [Fact]
    public async Task After_a_leader_kill_the_new_leader_delivers_the_pending_delayed_messages_and_none_of_the_delivered_again()
    {
        const string topic = "E2EDelayFailover";
        await cluster.CreateTopicAsync(topic, 2);
        await using var producer = await StartProducerAsync(cluster, "e2e-delay-failover-producer");
        await SendDelayedAsync(producer, topic, "early", 50, level: 1); // 1 s
        await E2EStored.WaitForAsync(cluster, topic, 50, what: "the early messages re-delivered by the first leader");

        await SendDelayedAsync(producer, topic, "late", 50, level: 2); // 5 s: still waiting when the leader dies
        var sinceLate = System.Diagnostics.Stopwatch.StartNew();
        var killed = await cluster.KillLeaderAsync();
        try
        {
            await cluster.WaitForLeaderAsync(excluding: killed);
            await E2EStored.WaitForAsync(cluster, topic, 100, what: "the late messages re-delivered by the new leader");
            // The new leader resumed from the progress in the log: nothing delivered before the kill comes again. A
            // leader that started from scratch would have stored the early ones a second time by now (150).
            var settle = TimeSpan.FromSeconds(8) - sinceLate.Elapsed;
            if (settle > TimeSpan.Zero) await Task.Delay(settle);
            Assert.Equal(100, await E2EStored.CountAsync(cluster, topic));
        }
        finally
        {
            await cluster.RestartAsync(killed);
        }
    }

    private static async Task SendDelayedAsync(MQProducer producer, string topic, string prefix, int count, int level)
    {
        for (int i = 0; i < count; i++)
        {
            var result = await producer.SendAsync(new Message(topic, Encoding.UTF8.GetBytes($"{prefix}-{i}")) { DelayTimeLevel = level });
            Assert.Equal(SendStatus.SendOk, result.Status);
        }
    }
}
