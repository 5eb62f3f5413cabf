using System.Collections.Concurrent;
using System.Text;
using RaftMq.Cli.Processes;
using RaftMq.Client;
using RaftMq.Client.Consumer;
using RaftMq.Client.Producer;
using RaftMq.Protocol.Bodies;

namespace RaftMq.Integration.Tests.EndToEnd;

/// <summary>Producers and consumers of the end-to-end tests, with bounded send loops and delivery records.</summary>
internal static class E2EClients
{
    public static async Task<MQProducer> StartProducerAsync(E2ECluster cluster, string name)
    {
        var producer = new MQProducer(new ProducerOptions { NameServerAddresses = [cluster.NameServer], ProducerGroup = name, InstanceName = name });
        await producer.StartAsync();
        return producer;
    }

    public static PushConsumer CreateConsumer(E2ECluster cluster, string group, string instance, MessageModel model = MessageModel.Clustering,
        string? offsetDirectory = null) =>
        new(new PushConsumerOptions
        {
            NameServerAddresses = [cluster.NameServer],
            ConsumerGroup = group,
            InstanceName = instance,
            MessageModel = model,
            ConsumeFromWhere = ConsumeFromWhere.ConsumeFromFirstOffset,
            OffsetStoreDirectory = offsetDirectory ?? Path.Combine(Path.GetTempPath(), "raftmq-e2e-offsets"),
        });

    /// <summary>A concurrent handler that counts deliveries per body text.</summary>
    public static ConcurrentMessageHandler Recorder(ConcurrentDictionary<string, int> deliveries) => (messages, _, _) =>
    {
        foreach (var message in messages) deliveries.AddOrUpdate(Encoding.UTF8.GetString(message.Body), 1, (_, count) => count + 1);
        return ValueTask.FromResult(ConsumeResult.Success);
    };

    /// <summary>
    /// Sends <c>{prefix}-0..</c> until <paramref name="count"/> were acknowledged (each body is new, failed ones are
    /// not retried), bounded by a deadline; returns the acknowledged bodies.
    /// </summary>
    public static async Task<IReadOnlyList<string>> SendUntilAcknowledgedAsync(MQProducer producer, string topic, string prefix, int count)
    {
        var acknowledged = new List<string>();
        using var deadline = new CancellationTokenSource(E2ECluster.Deadline);
        for (int i = 0; acknowledged.Count < count; i++)
        {
            deadline.Token.ThrowIfCancellationRequested();
            string body = $"{prefix}-{i}";
            try
            {
                await producer.SendAsync(new Message(topic, Encoding.UTF8.GetBytes(body)), deadline.Token);
                acknowledged.Add(body);
            }
            catch (MQException)
            {
                await Task.Delay(20, deadline.Token); // failover in progress
            }
        }
        return acknowledged;
    }

    /// <summary>Polls until <paramref name="condition"/> holds or the deadline passes; the caller asserts afterwards,
    /// so a failure shows what was missing.</summary>
    public static async Task<bool> EventuallyAsync(Func<bool> condition)
    {
        try
        {
            await Poll.UntilTrueAsync(_ => Task.FromResult(condition()), E2ECluster.Deadline, TimeSpan.FromMilliseconds(100), "a condition",
                CancellationToken.None);
            return true;
        }
        catch (DeadlineExceededException)
        {
            return false;
        }
    }

    /// <summary>Fails listing (the first of) the acknowledged messages that were never delivered.</summary>
    public static void AssertAllDelivered<T>(IEnumerable<T> acknowledged, Func<T, bool> delivered)
    {
        var missing = acknowledged.Where(message => !delivered(message)).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} acknowledged message(s) never consumed, e.g. {string.Join(", ", missing.Take(10))}");
    }
}
