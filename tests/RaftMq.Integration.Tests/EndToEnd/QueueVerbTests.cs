using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using RaftMq.Cli.Processes;
using RaftMq.Client;
using RaftMq.Protocol.Messages;
using static RaftMq.Integration.Tests.EndToEnd.E2EClients;

namespace RaftMq.Integration.Tests.EndToEnd;

/// <summary>queryCq (QUERY_CONSUME_QUEUE 321) as a process against the shared cluster: the units match what the producer was
/// told, every replica answers the same, and an online group's tag subscription is evaluated per unit.</summary>
[Collection(E2EClusterCollection.Name)]
public sealed class QueueVerbTests(E2ECluster cluster) : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);
    private readonly TestDirectory _logs = new("queue-verb-logs");

    [Fact]
    public async Task QueryCq_prints_the_units_of_a_queue_and_evaluates_a_groups_subscription()
    {
        await cluster.CreateTopicAsync("E2ECqTopic", 1);
        await using var producer = await StartProducerAsync(cluster, "e2e-cq-producer");
        var sent = new List<SendResult>();
        foreach (string tag in (string[])["TagA", "TagB", "TagA"])
        {
            sent.Add(await producer.SendAsync(new Message("E2ECqTopic", Encoding.UTF8.GetBytes(tag), tag), CancellationToken.None));
        }
        await using var consumer = CreateConsumer(cluster, "e2e-cq-group", "e2e-cq-group-a");
        consumer.Subscribe("E2ECqTopic", "TagA");
        await consumer.StartAsync(Recorder(new ConcurrentDictionary<string, int>()));
        var leader = await cluster.WaitForLeaderAsync(excluding: null);
        await Poll.UntilTrueAsync(async token =>
            (await cluster.Admin.QueryConsumeQueueAsync(leader.Address, "E2ECqTopic", 0, 0, 1, "e2e-cq-group", token)).SubscriptionData is not null,
            Deadline, TimeSpan.FromMilliseconds(100), "the leader to know the group's subscription", CancellationToken.None);
        var follower = cluster.Layout.Brokers.First(node => node != leader);
        await Poll.UntilTrueAsync(async token =>
            (await cluster.Admin.QueryConsumeQueueAsync(follower.Address, "E2ECqTopic", 0, 0, 1, cancellationToken: token)).MaxQueueIndex == 3,
            Deadline, TimeSpan.FromMilliseconds(100), "the follower to apply the three messages", CancellationToken.None);

        var text = await RunAsync("admin", "queryCq", "-t", "E2ECqTopic", "-q", "0", "-i", "0", "-c", "5", "-b", leader.Address, "-g", "e2e-cq-group");
        var fromFollower = await RunAsync("admin", "queryCq", "-t", "E2ECqTopic", "-q", "0", "-i", "1", "-b", follower.Address, "--json");
        var pastEnd = await RunAsync("admin", "queryCq", "-t", "E2ECqTopic", "-q", "0", "-i", "3");
        var noQueue = await RunAsync("admin", "queryCq", "-t", "E2ECqTopic", "-q", "7", "-i", "0");

        Assert.Equal(0, text.ExitCode);
        Assert.Contains("Subscription data: ", text.Output, StringComparison.Ordinal);
        Assert.Contains("\"subString\": \"TagA\"", text.Output, StringComparison.Ordinal);
        Assert.Contains($"Queue data: {Environment.NewLine}max: 3, min: 0", text.Output, StringComparison.Ordinal);
        var units = Regex.Matches(text.Output, @"idx: (\d+)\s+ConsumeQueueData\{physicOffset=(\d+), physicSize=(\d+), tagsCode=(-?\d+), .*eval=(true|false), .*storeTimestamp=(\d+)\}");
        Assert.Equal(3, units.Count);
        for (int i = 0; i < 3; i++)
        {
            Assert.True(OffsetMessageId.TryDecode(sent[i].OffsetMsgId, out _, out long physical));
            Assert.Equal(Text(i), units[i].Groups[1].Value);
            Assert.Equal(Text(physical), units[i].Groups[2].Value);
            Assert.Equal(Text(JavaStringHash.Compute(i == 1 ? "TagB" : "TagA")), units[i].Groups[4].Value);
            Assert.Equal(i == 1 ? "false" : "true", units[i].Groups[5].Value);
        }

        Assert.Equal(0, fromFollower.ExitCode);
        using (var json = JsonDocument.Parse(fromFollower.Output))
        {
            var data = json.RootElement.GetProperty("queueData").EnumerateArray().ToList();
            Assert.Equal(2, data.Count);
            Assert.Equal(units[1].Groups[2].Value, Text(data[0].GetProperty("physicOffset").GetInt64()));
            Assert.Equal(units[2].Groups[6].Value, Text(data[1].GetProperty("storeTimestamp").GetInt64()));
        }

        Assert.Equal(1, pastEnd.ExitCode);
        Assert.Contains("Index 3 of 0@E2ECqTopic is not exist! (units 0..2 at ", pastEnd.Error, StringComparison.Ordinal);
        Assert.Equal(1, noQueue.ExitCode);
        Assert.Contains("7@E2ECqTopic is not exist!", noQueue.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QueryCq_with_a_bad_count_is_a_usage_error()
    {
        var result = await RunAsync("admin", "queryCq", "-t", "T", "-q", "0", "-i", "0", "-c", "0");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("option --count = '0': expected an integer between 1 and 1000", result.Error, StringComparison.Ordinal);
    }

    public void Dispose() => _logs.Dispose();

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    private Task<RaftMqRun.Result> RunAsync(params string[] arguments) =>
        RaftMqRun.RunAsync(_logs.Path, Deadline, [.. arguments, "-n", cluster.NameServer, "-l", _logs.Path]);
}
