using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using RaftMq.Cli.Processes;
using static RaftMq.Integration.Tests.EndToEnd.E2EClients;

namespace RaftMq.Integration.Tests.EndToEnd;

/// <summary>resetOffsetByTime as a process against the shared cluster: an online consumer jumps back and gets the messages
/// again; an offline group finds the new committed offsets.</summary>
[Collection(E2EClusterCollection.Name)]
public sealed class OffsetVerbTests(E2ECluster cluster) : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);
    private readonly TestDirectory _logs = new("offset-verb-logs");

    [Fact]
    public async Task ResetOffsetByTime_makes_an_online_consumer_receive_the_messages_again()
    {
        await cluster.CreateTopicAsync("E2EResetOnline", 2);
        string before = (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 1000).ToString(CultureInfo.InvariantCulture);
        await using var producer = await StartProducerAsync(cluster, "e2e-reset-online-producer");
        var sent = await SendUntilAcknowledgedAsync(producer, "E2EResetOnline", "reset", 10);
        var deliveries = new ConcurrentDictionary<string, int>();
        await using var consumer = CreateConsumer(cluster, "e2e-reset-online", "e2e-reset-online-a");
        consumer.Subscribe("E2EResetOnline");
        await consumer.StartAsync(Recorder(deliveries));
        Assert.True(await EventuallyAsync(() => sent.All(deliveries.ContainsKey)), "the consumer did not receive the messages a first time");

        var result = await RunAsync("admin", "resetOffsetByTime", "-g", "e2e-reset-online", "-t", "E2EResetOnline", "-s", before);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains($"rollback consumer offset by specified consumerGroup[e2e-reset-online], topic[E2EResetOnline], force[true], timestamp(string)[{before}]",
            result.Output, StringComparison.Ordinal);
        Assert.Matches(new Regex(@"#brokerName\s+#queueId\s+#offset"), result.Output);
        Assert.Equal(2, Regex.Matches(result.Output, @"(?m)^E2EGroup\s+[01]\s+0\s*$").Count);
        AssertAllDelivered(sent, body => deliveries.GetValueOrDefault(body) >= 1);
        Assert.True(await EventuallyAsync(() => sent.All(body => deliveries.GetValueOrDefault(body) >= 2)),
            $"after the reset the consumer got again only {sent.Count(body => deliveries.GetValueOrDefault(body) >= 2)} of {sent.Count}");
    }

    [Fact]
    public async Task ResetOffsetByTime_of_an_offline_group_commits_the_offsets_and_prints_json()
    {
        await cluster.CreateTopicAsync("E2EResetOffline", 2);
        await using var producer = await StartProducerAsync(cluster, "e2e-reset-offline-producer");
        await SendUntilAcknowledgedAsync(producer, "E2EResetOffline", "offline", 6);

        var toEnd = await RunAsync("admin", "resetOffsetByTime", "-g", "e2e-reset-offline", "-t", "E2EResetOffline", "-s", "now", "--json");

        Assert.Equal(0, toEnd.ExitCode);
        using var json = JsonDocument.Parse(toEnd.Output);
        var queues = json.RootElement.GetProperty("offsetTable").EnumerateArray().ToList();
        Assert.Equal(2, queues.Count);
        Assert.All(queues, queue => Assert.Equal(queue.GetProperty("brokerOffset").GetInt64(), queue.GetProperty("offset").GetInt64()));
        Assert.Equal(6, queues.Sum(queue => queue.GetProperty("offset").GetInt64()));
        var progress = await cluster.Admin.GetConsumerProgressAsync("e2e-reset-offline", "E2EResetOffline");
        Assert.All(progress.Queues, queue => Assert.Equal(queue.BrokerOffset, queue.ConsumerOffset));

        // Without force a queue only moves backwards: time 0 is before every message, so offsets go to 0.
        var notBack = await RunAsync("admin", "resetOffsetByTime", "-g", "e2e-reset-offline", "-t", "E2EResetOffline", "-s", "0", "-f", "false", "--json");
        Assert.Equal(0, notBack.ExitCode);
        using var back = JsonDocument.Parse(notBack.Output);
        Assert.All(back.RootElement.GetProperty("offsetTable").EnumerateArray(), queue => Assert.Equal(0, queue.GetProperty("offset").GetInt64()));
        progress = await cluster.Admin.GetConsumerProgressAsync("e2e-reset-offline", "E2EResetOffline");
        Assert.All(progress.Queues, queue => Assert.Equal(0, queue.ConsumerOffset));
    }

    [Fact]
    public async Task ResetOffsetByTime_with_a_bad_time_names_the_accepted_forms()
    {
        var result = await RunAsync("admin", "resetOffsetByTime", "-g", "G", "-t", "T", "-s", "yesterday");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("expected now, milliseconds since 1970, or yyyy-MM-dd#HH:mm:ss:SSS", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResetOffsetByTime_of_an_unknown_topic_fails_naming_it()
    {
        var result = await RunAsync("admin", "resetOffsetByTime", "-g", "G", "-t", "E2ENoSuchResetTopic", "-s", "now");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("E2ENoSuchResetTopic does not exist", result.Error, StringComparison.Ordinal);
    }

    public void Dispose() => _logs.Dispose();

    private Task<RaftMqRun.Result> RunAsync(params string[] arguments) =>
        RaftMqRun.RunAsync(_logs.Path, Deadline, [.. arguments, "-n", cluster.NameServer, "-l", _logs.Path]);
}
