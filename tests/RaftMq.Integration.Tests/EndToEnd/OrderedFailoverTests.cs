using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using RaftMq.Client;
using RaftMq.Client.Consumer;
using RaftMq.Client.Producer;
using static RaftMq.Integration.Tests.EndToEnd.E2EClients;

namespace RaftMq.Integration.Tests.EndToEnd;

/// <summary>Ordered messages (one queue per order id) stay in order across a leader kill.</summary>
[Collection(E2EClusterCollection.Name)]
public sealed class OrderedFailoverTests(E2ECluster cluster)
{
    private const int OrderIds = 4;
    private const int MessagesPerPhase = 80;

    [Fact]
    public async Task Ordered_messages_are_consumed_in_send_order_per_queue_across_a_leader_kill()
    {
        const string topic = "E2EOrdered";
        await cluster.CreateTopicAsync(topic, queues: OrderIds, order: true);
        await using var producer = await StartProducerAsync(cluster, "e2e-ordered-producer");
        var acknowledged = new List<(int OrderId, int Seq, int QueueId, long QueueOffset)>();
        int seq = 0;
        seq = await SendInOrderAsync(producer, topic, seq, acknowledged);
        var killed = await cluster.KillLeaderAsync();
        await SendInOrderAsync(producer, topic, seq, acknowledged);
        await cluster.RestartAsync(killed);

        var firstDeliveries = new ConcurrentDictionary<int, List<int>>();
        var seen = new ConcurrentDictionary<int, bool>();
        await using var consumer = CreateConsumer(cluster, "e2e-ordered-consumer", "e2e-ordered-consumer");
        consumer.Subscribe(topic);
        await consumer.StartAsync((messages, _, _) =>
        {
            foreach (var message in messages)
            {
                var (orderId, messageSeq) = Parse(message.Body);
                // A redelivery (after the consumer's queue lock moved to the new leader) repeats a suffix already seen;
                // the first delivery of each message is the order the application observed.
                if (!seen.TryAdd(messageSeq, true)) continue;
                var list = firstDeliveries.GetOrAdd(orderId, _ => []);
                lock (list) list.Add(messageSeq);
            }
            return ValueTask.FromResult(OrderlyConsumeResult.Success);
        });
        await EventuallyAsync(() => acknowledged.All(sent => seen.ContainsKey(sent.Seq)));

        AssertAllDelivered(acknowledged, sent => seen.ContainsKey(sent.Seq));
        foreach (var group in acknowledged.GroupBy(sent => sent.OrderId))
        {
            var ackedSeqs = group.Select(sent => sent.Seq).ToHashSet();
            var delivered = firstDeliveries[group.Key].Where(ackedSeqs.Contains).ToList();
            Assert.Equal(delivered.Order().ToList(), delivered);
            var stored = group.OrderBy(sent => sent.Seq).Select(sent => sent.QueueOffset).ToList();
            Assert.Equal(stored.Order().ToList(), stored);
            Assert.Single(group.Select(sent => sent.QueueId).Distinct());
        }
    }

    /// <summary>Sends seqs from <paramref name="seq"/> round-robin over the order ids; a failed send is retried with the
    /// same seq before the next one is sent, as an ordered producer must. Returns the next seq.</summary>
    private static async Task<int> SendInOrderAsync(MQProducer producer, string topic, int seq,
        List<(int OrderId, int Seq, int QueueId, long QueueOffset)> acknowledged)
    {
        using var deadline = new CancellationTokenSource(E2ECluster.Deadline);
        int end = seq + MessagesPerPhase;
        while (seq < end)
        {
            int orderId = seq % OrderIds;
            var body = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{orderId}:{seq}"));
            try
            {
                var result = await producer.SendAsync(new Message(topic, body), (queues, _, id) => queues[(int)id! % queues.Count], orderId, deadline.Token);
                acknowledged.Add((orderId, seq, result.Queue.QueueId, result.QueueOffset));
                seq++;
            }
            catch (MQException)
            {
                await Task.Delay(20, deadline.Token);
            }
        }
        return seq;
    }

    private static (int OrderId, int Seq) Parse(byte[] body)
    {
        string[] parts = Encoding.UTF8.GetString(body).Split(':');
        return (int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture));
    }
}
