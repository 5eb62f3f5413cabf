using System.Collections.Concurrent;
using static RaftMq.Integration.Tests.EndToEnd.E2EClients;

namespace RaftMq.Integration.Tests.EndToEnd;

/// <summary>SIGKILL of the group leader while producing: nothing acknowledged may be lost.</summary>
[Collection(E2EClusterCollection.Name)]
public sealed class FailoverTests(E2ECluster cluster)
{
    [Fact]
    public async Task Every_acknowledged_message_is_consumed_after_the_leader_is_killed()
    {
        const string topic = "E2EFailover";
        await cluster.CreateTopicAsync(topic, queues: 4);
        await using var producer = await StartProducerAsync(cluster, "e2e-failover-producer");
        var before = await SendUntilAcknowledgedAsync(producer, topic, "before-kill", 100);

        var killed = await cluster.KillLeaderAsync();
        var after = await SendUntilAcknowledgedAsync(producer, topic, "after-kill", 100);
        var newLeader = await cluster.WaitForLeaderAsync(excluding: killed);
        await cluster.RestartAsync(killed);

        var deliveries = new ConcurrentDictionary<string, int>();
        await using var consumer = CreateConsumer(cluster, "e2e-failover-consumer", "e2e-failover-consumer");
        consumer.Subscribe(topic);
        await consumer.StartAsync(Recorder(deliveries));
        var acknowledged = before.Concat(after).ToList();
        await EventuallyAsync(() => acknowledged.All(deliveries.ContainsKey));

        Assert.NotEqual(killed, newLeader);
        AssertAllDelivered(acknowledged, body => deliveries.ContainsKey(body));
    }
}
