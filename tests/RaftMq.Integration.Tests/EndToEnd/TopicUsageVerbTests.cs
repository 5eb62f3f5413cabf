using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using RaftMq.Cli.Processes;
using RaftMq.Client;
using RaftMq.Client.Admin;
using RaftMq.Protocol.Bodies;
using static RaftMq.Integration.Tests.EndToEnd.E2EClients;

namespace RaftMq.Integration.Tests.EndToEnd;

/// <summary>
/// statsAll (QUERY_TOPIC_CONSUME_BY_WHO 300, VIEW_BROKER_STATS_DATA 315), deleteTopic dropping the topic's queues on every
/// replica, and cleanUnusedTopic (CLEAN_UNUSED_TOPIC 316), as processes against the shared cluster.
/// </summary>
[Collection(E2EClusterCollection.Name)]
public sealed class TopicUsageVerbTests(E2ECluster cluster) : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);
    private readonly TestDirectory _logs = new("topic-usage-verb-logs");

    [Fact]
    public async Task StatsAll_prints_the_backlog_rates_and_24_hour_counts_of_each_topic_and_group()
    {
        const string topic = "E2EStatsTopic";
        const string idle = "E2EStatsNobody";
        const string quiet = "E2EStatsQuiet";
        const string group = "e2e-stats-group";
        await cluster.CreateTopicAsync(topic, 2);
        await cluster.CreateTopicAsync(idle, 1);
        await cluster.CreateTopicAsync(quiet, 1);
        var deliveries = new ConcurrentDictionary<string, int>();
        await using var consumer = CreateConsumer(cluster, group, "e2e-stats-consumer");
        consumer.Subscribe(topic, "*");
        await consumer.StartAsync(Recorder(deliveries));
        await using var producer = await StartProducerAsync(cluster, "e2e-stats-producer");
        await SendUntilAcknowledgedAsync(producer, topic, "stats", 6);
        await SendUntilAcknowledgedAsync(producer, idle, "idle", 2);
        // Consumption and the offset commit run on their own schedule: wait until the masters' figures show all of it.
        await Poll.UntilTrueAsync(async token =>
        {
            var rows = await cluster.Admin.GetStatsAllAsync(topic, activeOnly: false, token);
            return rows.Any(row => row is { Group: group, InMsg24Hour: 6, OutMsg24Hour: 6, Accumulation: 0, InTps: > 0, OutTps: > 0 });
        }, Deadline, PollInterval, "statsAll to count 6 messages put and got", CancellationToken.None);

        var text = await RunAsync("admin", "statsAll");
        var one = await RunAsync("admin", "statsAll", "-t", idle);
        var active = await RunAsync("admin", "statsAll", "-a");
        var json = await RunAsync("admin", "statsAll", "-t", topic, "--json");

        Assert.Equal(0, text.ExitCode);
        Assert.Matches(new Regex(@"(?m)^#Topic\s+#Consumer Group\s+#Accumulation\s+#InTPS\s+#OutTPS\s+#InMsg24Hour\s+#OutMsg24Hour$"), text.Output);
        Assert.Matches(new Regex($@"(?m)^{topic}\s+{group}\s+0\s+\d+\.\d\d\s+\d+\.\d\d\s+6\s+6$"), text.Output);
        Assert.Matches(new Regex($@"(?m)^{quiet}\s+0\s+0\.00\s+0\s+NO_CONSUMER$"), text.Output);
        Assert.DoesNotMatch(new Regex(@"(?m)^%RETRY%"), text.Output);

        Assert.Equal(0, one.ExitCode);
        Assert.Matches(new Regex($@"(?m)^{idle}\s+0\s+\d+\.\d\d\s+2\s+NO_CONSUMER$"), one.Output);
        Assert.Equal(2, one.Output.Trim().Split('\n').Length);

        Assert.Equal(0, active.ExitCode);
        Assert.Contains(topic, active.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(quiet, active.Output, StringComparison.Ordinal);

        Assert.Equal(0, json.ExitCode);
        using var document = JsonDocument.Parse(json.Output);
        var only = Assert.Single(document.RootElement.EnumerateArray());
        Assert.Equal(group, only.GetProperty("consumerGroup").GetString());
        Assert.Equal(6, only.GetProperty("inMsg24Hour").GetInt64());
        Assert.Equal(6, only.GetProperty("outMsg24Hour").GetInt64());
    }

    [Fact]
    public async Task DeleteTopic_drops_the_topics_queues_on_every_replica()
    {
        const string topic = "E2EDeleteQueuesTopic";
        await cluster.CreateTopicAsync(topic, 2);
        await using var producer = await StartProducerAsync(cluster, "e2e-delete-queues-producer");
        for (int queueId = 0; queueId < 2; queueId++)
        {
            await producer.SendAsync(new Message(topic, Encoding.UTF8.GetBytes($"q{queueId}")), new MessageQueue { Topic = topic, BrokerName = Group, QueueId = queueId });
        }
        await WaitForUnitsOnEveryNodeAsync(topic, 0);
        await WaitForUnitsOnEveryNodeAsync(topic, 1);

        var delete = await RunAsync("admin", "deleteTopic", "-c", cluster.Layout.ClusterName, "-t", topic);

        Assert.Equal(0, delete.ExitCode);
        Assert.Contains($"delete topic [{topic}] from cluster [{cluster.Layout.ClusterName}] success.", delete.Output, StringComparison.Ordinal);
        await WaitUntilGoneOnEveryNodeAsync(topic, 0);
        await WaitUntilGoneOnEveryNodeAsync(topic, 1);
        foreach (var node in cluster.Layout.Brokers)
        {
            var queryCq = await RunAsync("admin", "queryCq", "-t", topic, "-q", "1", "-i", "0", "-b", node.Address);
            Assert.Equal(1, queryCq.ExitCode);
            Assert.Contains($"1@{topic} is not exist", queryCq.Error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task CleanUnusedTopic_drops_the_queue_a_delayed_message_recreated_after_its_topic_was_deleted()
    {
        const string topic = "E2ECleanLeftoverTopic";
        await cluster.CreateTopicAsync(topic, 2);
        await using var producer = await StartProducerAsync(cluster, "e2e-clean-producer");
        // Level 2 waits 5 s: the delay service delivers it to its real queue after the topic is gone, as RocketMQ's does.
        var delayed = new Message(topic, Encoding.UTF8.GetBytes("late")) { DelayTimeLevel = 2 };
        await producer.SendAsync(delayed, new MessageQueue { Topic = topic, BrokerName = Group, QueueId = 1 });
        await cluster.Admin.DeleteTopicAsync(cluster.Layout.ClusterName, topic);
        await WaitForUnitsOnEveryNodeAsync(topic, 1);
        var leader = await cluster.WaitForLeaderAsync(excluding: null);
        var follower = cluster.Layout.Brokers.First(node => node != leader);

        var refused = await RunAsync("admin", "cleanUnusedTopic", "-b", follower.Address);
        var text = await RunAsync("admin", "cleanUnusedTopic", "-c", cluster.Layout.ClusterName);
        var again = await RunAsync("admin", "cleanUnusedTopic", "-b", leader.Address, "--json");

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("not master", refused.Error, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, text.ExitCode);
        var line = Regex.Match(text.Output, $@"(?m)^{Group} {Regex.Escape(leader.Address)}: (?<topics>\d+) unused topic\(s\), (?<queues>\d+) queue\(s\) dropped \[(?<names>.*)\]$");
        Assert.True(line.Success, text.Output);
        Assert.Contains(topic, line.Groups["names"].Value.Split(", "));
        Assert.True(int.Parse(line.Groups["queues"].Value, CultureInfo.InvariantCulture) >= 1, text.Output);
        Assert.EndsWith("success", text.Output.TrimEnd(), StringComparison.Ordinal);
        await WaitUntilGoneOnEveryNodeAsync(topic, 1);
        Assert.Equal(0, again.ExitCode);
        using var document = JsonDocument.Parse(again.Output);
        var result = Assert.Single(document.RootElement.EnumerateArray());
        Assert.Equal(0, result.GetProperty("queues").GetInt32());
        Assert.Equal(0, result.GetProperty("topics").GetArrayLength());
    }

    public void Dispose() => _logs.Dispose();

    private string Group => cluster.Layout.Brokers[0].BrokerName;

    private Task WaitForUnitsOnEveryNodeAsync(string topic, int queueId) =>
        Poll.UntilTrueAsync(async token =>
        {
            foreach (var node in cluster.Layout.Brokers)
            {
                var units = await TryUnitsAsync(node.Address, topic, queueId, token);
                if (units is not > 0) return false;
            }
            return true;
        }, Deadline, PollInterval, $"every node to hold units of {topic}/{queueId}", CancellationToken.None);

    private Task WaitUntilGoneOnEveryNodeAsync(string topic, int queueId) =>
        Poll.UntilTrueAsync(async token =>
        {
            foreach (var node in cluster.Layout.Brokers)
            {
                if (await TryUnitsAsync(node.Address, topic, queueId, token) is not null) return false;
            }
            return true;
        }, Deadline, PollInterval, $"every node to drop queue {topic}/{queueId}", CancellationToken.None);

    /// <summary>The units the node holds from index 0, or null when it has no such queue (the broker answers 1).</summary>
    private async Task<int?> TryUnitsAsync(string address, string topic, int queueId, CancellationToken token)
    {
        try
        {
            var body = await cluster.Admin.QueryConsumeQueueAsync(address, topic, queueId, 0, 10, cancellationToken: token);
            return body.QueueData?.Count ?? 0;
        }
        catch (MQBrokerException ex) when (ex.ResponseCode == 1)
        {
            return null;
        }
    }

    private Task<RaftMqRun.Result> RunAsync(params string[] arguments) =>
        RaftMqRun.RunAsync(_logs.Path, Deadline, [.. arguments, "-n", cluster.NameServer, "-l", _logs.Path]);
}
