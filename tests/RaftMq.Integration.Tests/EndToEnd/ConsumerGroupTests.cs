using System.Collections.Concurrent;
using RaftMq.Client.Consumer;
using RaftMq.Protocol.Bodies;
using static RaftMq.Integration.Tests.EndToEnd.E2EClients;

namespace RaftMq.Integration.Tests.EndToEnd;

/// <summary>Clustering rebalance as consumers join and leave, and broadcasting, against real broker processes.</summary>
[Collection(E2EClusterCollection.Name)]
public sealed class ConsumerGroupTests(E2ECluster cluster)
{
    private const int Queues = 4;

    [Fact]
    public async Task Queues_are_split_when_a_consumer_joins_and_taken_back_when_it_leaves()
    {
        const string topic = "E2ERebalance";
        await cluster.CreateTopicAsync(topic, Queues);
        var deliveries = new ConcurrentDictionary<string, int>();
        await using var first = CreateConsumer(cluster, "e2e-rebalance", "e2e-rebalance-a");
        first.Subscribe(topic);
        await first.StartAsync(Recorder(deliveries));
        bool firstAlone = await EventuallyAsync(() => Owned(first, topic) == Queues);

        var second = CreateConsumer(cluster, "e2e-rebalance", "e2e-rebalance-b");
        bool split;
        IReadOnlyList<string> acknowledged;
        try
        {
            second.Subscribe(topic);
            await second.StartAsync(Recorder(deliveries));
            split = await EventuallyAsync(() => Owned(first, topic) == Queues / 2 && Owned(second, topic) == Queues / 2
                && first.AssignedQueues.Concat(second.AssignedQueues).Where(queue => queue.Topic == topic).Distinct().Count() == Queues);
            await using var producer = await StartProducerAsync(cluster, "e2e-rebalance-producer");
            acknowledged = await SendUntilAcknowledgedAsync(producer, topic, "rebalance", 40);
            await EventuallyAsync(() => acknowledged.All(deliveries.ContainsKey));
        }
        finally
        {
            await second.DisposeAsync();
        }
        bool takenBack = await EventuallyAsync(() => Owned(first, topic) == Queues);

        Assert.True(firstAlone, "the only consumer of the group should own every queue");
        Assert.True(split, "two consumers should own two queues each");
        AssertAllDelivered(acknowledged, body => deliveries.ContainsKey(body));
        Assert.True(takenBack, "the remaining consumer should own every queue again after the other left");
    }

    [Fact]
    public async Task Broadcasting_delivers_every_message_to_every_consumer_of_the_group()
    {
        const string topic = "E2EBroadcast";
        await cluster.CreateTopicAsync(topic, Queues);
        using var offsets = new TestDirectory("broadcast-offsets");
        var firstDeliveries = new ConcurrentDictionary<string, int>();
        var secondDeliveries = new ConcurrentDictionary<string, int>();
        await using var first = CreateConsumer(cluster, "e2e-broadcast", "e2e-broadcast-a", MessageModel.Broadcasting, offsets.Path);
        await using var second = CreateConsumer(cluster, "e2e-broadcast", "e2e-broadcast-b", MessageModel.Broadcasting, offsets.Path);
        first.Subscribe(topic);
        second.Subscribe(topic);
        await first.StartAsync(Recorder(firstDeliveries));
        await second.StartAsync(Recorder(secondDeliveries));

        await using var producer = await StartProducerAsync(cluster, "e2e-broadcast-producer");
        var acknowledged = await SendUntilAcknowledgedAsync(producer, topic, "broadcast", 40);
        await EventuallyAsync(() => acknowledged.All(firstDeliveries.ContainsKey) && acknowledged.All(secondDeliveries.ContainsKey));

        AssertAllDelivered(acknowledged, body => firstDeliveries.ContainsKey(body));
        AssertAllDelivered(acknowledged, body => secondDeliveries.ContainsKey(body));
        Assert.Equal(Queues, Owned(first, topic));
        Assert.Equal(Queues, Owned(second, topic));
    }

    /// <summary>Queues of <paramref name="topic"/> the consumer pulls (a clustering consumer also owns its group's
    /// retry queue, which is not part of the split under test).</summary>
    private static int Owned(PushConsumer consumer, string topic) => consumer.AssignedQueues.Count(queue => queue.Topic == topic);
}
