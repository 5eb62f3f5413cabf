using System.Collections.Concurrent;
using RaftMq.Cli.Processes;
using RaftMq.Client;
using RaftMq.Client.Admin;
using RaftMq.Client.Consumer;
using RaftMq.Client.Producer;
using RaftMq.Protocol.Bodies;
using Xunit.Abstractions;
using static RaftMq.Integration.Tests.EndToEnd.E2EClients;

namespace RaftMq.Integration.Tests.EndToEnd.Membership;

/// <summary>A topic of its own with one producer sending back to back (<see cref="SendLoad"/>) and one push consumer
/// recording every delivery, both running while a test changes the group's members.</summary>
internal sealed class MembershipWorkload : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, int> _deliveries = new();
    private MQProducer? _producer;
    private PushConsumer? _consumer;
    private SendLoad? _load;

    private MembershipWorkload(string topic) => Topic = topic;

    public string Topic { get; }

    private SendLoad Load => _load ?? throw new InvalidOperationException("not started");

    public static async Task<MembershipWorkload> StartAsync(MembershipCluster cluster, string topic)
    {
        var workload = new MembershipWorkload(topic);
        await Poll.UntilTrueAsync(async token =>
        {
            try
            {
                await cluster.Admin.CreateOrUpdateTopicAsync(MembershipCluster.ClusterName,
                    new TopicSettings { Topic = topic, ReadQueueNums = 4, WriteQueueNums = 4 }, token);
                return true;
            }
            catch (MQException)
            {
                return false; // a leader change in between: try again on the new master
            }
        }, MembershipCluster.Deadline, TimeSpan.FromMilliseconds(200), $"topic {topic} to be created", CancellationToken.None);

        string name = $"member-{topic}";
        workload._consumer = new PushConsumer(new PushConsumerOptions
        {
            NameServerAddresses = [cluster.NameServer],
            ConsumerGroup = name,
            InstanceName = name + "-consumer",
            ConsumeFromWhere = ConsumeFromWhere.ConsumeFromFirstOffset,
            OffsetStoreDirectory = Path.Combine(Path.GetTempPath(), "raftmq-e2e-offsets"),
        });
        workload._consumer.Subscribe(topic);
        await workload._consumer.StartAsync(Recorder(workload._deliveries));
        workload._producer = new MQProducer(new ProducerOptions { NameServerAddresses = [cluster.NameServer], ProducerGroup = name, InstanceName = name });
        await workload._producer.StartAsync();
        workload._load = SendLoad.Start(workload._producer, topic, topic);
        return workload;
    }

    public Task WaitForAcknowledgedAsync(int count) => Load.WaitForAcknowledgedAsync(count);

    /// <summary>Waits until <paramref name="count"/> more sends were acknowledged: the group takes writes again.</summary>
    public Task WaitForMoreAcknowledgedAsync(int count) => Load.WaitForAcknowledgedAsync(Load.Acknowledged.Count + count);

    /// <summary>Stops sending and waits until the consumer has received every acknowledged body.</summary>
    public async Task StopAndAssertNothingLostAsync(ITestOutputHelper output)
    {
        var acknowledged = await Load.StopAsync();
        output.WriteLine($"{Topic}: {acknowledged.Count} sends acknowledged, {Load.Failures.Count} failed (not retried): {string.Join(" | ", Load.Failures.Take(3))}");
        await EventuallyAsync(() => acknowledged.All(_deliveries.ContainsKey));
        AssertAllDelivered(acknowledged, _deliveries.ContainsKey);
    }

    public async ValueTask DisposeAsync()
    {
        if (_load is not null) await _load.DisposeAsync();
        if (_producer is not null) await _producer.DisposeAsync();
        if (_consumer is not null) await _consumer.DisposeAsync();
    }
}
