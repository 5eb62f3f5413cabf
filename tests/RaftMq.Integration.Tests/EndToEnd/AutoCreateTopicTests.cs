using System.Collections.Concurrent;
using System.Text;
using RaftMq.Client;
using static RaftMq.Integration.Tests.EndToEnd.E2EClients;

namespace RaftMq.Integration.Tests.EndToEnd;

/// <summary>autoCreateTopicEnable: the leader announces the TBW102 template, so a first send to a topic nobody created
/// is routed, the broker creates the topic and the message is consumable.</summary>
[Collection(E2EClusterCollection.Name)]
public sealed class AutoCreateTopicTests(E2ECluster cluster)
{
    [Fact]
    public async Task First_send_to_an_unknown_topic_creates_it_and_the_message_is_consumed()
    {
        const string topic = "E2EAutoCreated";
        await using var producer = await StartProducerAsync(cluster, "e2e-autocreate-producer");

        var result = await producer.SendAsync(new Message(topic, Encoding.UTF8.GetBytes("auto-created-0")));

        Assert.Equal(SendStatus.SendOk, result.Status);
        var deliveries = new ConcurrentDictionary<string, int>();
        await using var consumer = CreateConsumer(cluster, "e2e-autocreate", "e2e-autocreate-a");
        consumer.Subscribe(topic);
        await consumer.StartAsync(Recorder(deliveries));
        using var deadline = new CancellationTokenSource(E2ECluster.Deadline);
        while (!deliveries.ContainsKey("auto-created-0") && !deadline.IsCancellationRequested)
            await Task.Delay(100);
        Assert.True(deliveries.ContainsKey("auto-created-0"), "the message sent to the auto-created topic was never consumed");
    }
}
