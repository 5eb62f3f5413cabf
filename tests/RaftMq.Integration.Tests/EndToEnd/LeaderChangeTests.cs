using System.Collections.Concurrent;
using System.Text;
using RaftMq.Client;
using RaftMq.Client.Producer;
using static RaftMq.Integration.Tests.EndToEnd.E2EClients;

namespace RaftMq.Integration.Tests.EndToEnd;

/// <summary>
/// Planned leader changes under load with the RaftMq .NET client: followers forward sends to the leader, a stopping
/// leader hands over first, so no send fails and the consumer keeps receiving.
/// </summary>
[Collection(E2EClusterCollection.Name)]
public sealed class LeaderChangeTests(E2ECluster cluster)
{
    [Fact]
    public async Task A_leadership_transfer_during_produce_and_consume_fails_no_send_and_stalls_no_consumer()
    {
        const string topic = "E2ETransfer";
        await cluster.CreateTopicAsync(topic, queues: 4);
        var deliveries = new ConcurrentDictionary<string, int>();
        await using var consumer = CreateConsumer(cluster, "e2e-transfer-consumer", "e2e-transfer-consumer");
        consumer.Subscribe(topic);
        await consumer.StartAsync(Recorder(deliveries));
        await using var producer = await StartProducerAsync(cluster, "e2e-transfer-producer");
        await using var load = SendLoad.Start(producer, topic, "transfer");

        await load.WaitForAcknowledgedAsync(200);
        var leader = await cluster.WaitForLeaderAsync(excluding: null);
        var target = cluster.Layout.Brokers.First(node => node != leader);
        await cluster.Admin.TransferLeadershipAsync(cluster.Layout.BrokerName, target.SelfId);
        var newLeader = await cluster.WaitForLeaderAsync(excluding: leader);
        await load.WaitForAcknowledgedAsync(load.Acknowledged.Count + 200);
        var acknowledged = await load.StopAsync();

        Assert.Equal(target, newLeader);
        Assert.True(load.Failures.Count == 0, $"{load.Failures.Count} failed send(s): {string.Join(" | ", load.Failures.Take(3))}");
        await EventuallyAsync(() => acknowledged.All(deliveries.ContainsKey));
        AssertAllDelivered(acknowledged, deliveries.ContainsKey);
    }

    [Fact]
    public async Task A_rolling_restart_under_load_fails_no_send()
    {
        const string topic = "E2ERollingRestart";
        await cluster.CreateTopicAsync(topic, queues: 4);
        await using var producer = await StartProducerAsync(cluster, "e2e-rolling-producer");
        await using var load = SendLoad.Start(producer, topic, "rolling");
        await load.WaitForAcknowledgedAsync(100);

        // Followers first, the leader last (SIGTERM, start, wait until it serves again, next), as operators roll a group.
        var leader = await cluster.WaitForLeaderAsync(excluding: null);
        foreach (var node in cluster.Layout.Brokers.Where(node => node != leader).Append(leader))
        {
            await cluster.Processes.StopBrokerAsync(node.Index);
            await cluster.RestartAsync(node);
            await load.WaitForAcknowledgedAsync(load.Acknowledged.Count + 50);
        }
        var acknowledged = await load.StopAsync();

        Assert.True(load.Failures.Count == 0, $"{load.Failures.Count} failed send(s): {string.Join(" | ", load.Failures.Take(3))}");
        var deliveries = new ConcurrentDictionary<string, int>();
        await using var consumer = CreateConsumer(cluster, "e2e-rolling-consumer", "e2e-rolling-consumer");
        consumer.Subscribe(topic);
        await consumer.StartAsync(Recorder(deliveries));
        await EventuallyAsync(() => acknowledged.All(deliveries.ContainsKey));
        AssertAllDelivered(acknowledged, deliveries.ContainsKey);
    }
}
