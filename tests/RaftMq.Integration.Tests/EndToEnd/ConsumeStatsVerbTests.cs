using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.RegularExpressions;
using RaftMq.Cli.Processes;
using static RaftMq.Integration.Tests.EndToEnd.E2EClients;

namespace RaftMq.Integration.Tests.EndToEnd;

/// <summary>brokerConsumeStats and cloneGroupOffset as processes against the shared cluster.</summary>
[Collection(E2EClusterCollection.Name)]
public sealed class ConsumeStatsVerbTests(E2ECluster cluster) : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);
    private readonly TestDirectory _logs = new("consume-stats-verb-logs");

    [Fact]
    public async Task BrokerConsumeStats_shows_a_group_that_consumed_everything_with_diff_zero_and_its_last_time()
    {
        await cluster.CreateTopicAsync("E2EBrokerConsumeStats", 1);
        await using var producer = await StartProducerAsync(cluster, "e2e-bcs-producer");
        var sent = await SendUntilAcknowledgedAsync(producer, "E2EBrokerConsumeStats", "bcs", 4);
        var deliveries = new ConcurrentDictionary<string, int>();
        await using (var consumer = CreateConsumer(cluster, "e2e-bcs-group", "e2e-bcs-a"))
        {
            consumer.Subscribe("E2EBrokerConsumeStats");
            await consumer.StartAsync(Recorder(deliveries));
            Assert.True(await EventuallyAsync(() => sent.All(deliveries.ContainsKey)), "the consumer did not receive the messages");
            await Poll.UntilTrueAsync(async token =>
                (await cluster.Admin.GetConsumerProgressAsync("e2e-bcs-group", "E2EBrokerConsumeStats", token)).Queues.All(q => q.ConsumerOffset == 4),
                Deadline, PollInterval, "the group's offset to be committed", CancellationToken.None);
        }
        var master = await cluster.WaitForLeaderAsync(excluding: null);

        var text = await RunAsync("admin", "brokerConsumeStats", "-b", master.Address);
        var json = await RunAsync("admin", "brokerConsumeStats", "-b", master.Address, "--json");

        Assert.Equal(0, text.ExitCode);
        Assert.Matches(new Regex(@"#Topic\s+#Group\s+#Broker Name\s+#QID\s+#Broker Offset\s+#Consumer Offset\s+#Diff\s+#LastTime"), text.Output);
        Assert.Matches(new Regex(@"(?m)^E2EBrokerConsumeStats\s+e2e-bcs-group\s+E2EGroup\s+0\s+4\s+4\s+0\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$"), text.Output);
        Assert.Matches(new Regex(@"(?m)^Diff Total: \d+$"), text.Output);
        Assert.Equal(0, json.ExitCode);
        using var body = JsonDocument.Parse(json.Output);
        var groups = body.RootElement.GetProperty("consumeStatsList").EnumerateArray().SelectMany(map => map.EnumerateObject()).ToList();
        var queue = groups.Single(group => group.Name == "e2e-bcs-group").Value.EnumerateArray()
            .SelectMany(topic => topic.GetProperty("offsetTable").EnumerateArray())
            .Single(q => q.GetProperty("messageQueue").GetProperty("topic").GetString() == "E2EBrokerConsumeStats");
        Assert.True(queue.GetProperty("lastTimestamp").GetInt64() > 0);
        Assert.Equal(master.Address, body.RootElement.GetProperty("brokerAddr").GetString());
    }

    [Fact]
    public async Task CloneGroupOffset_gives_the_destination_group_the_source_groups_offsets()
    {
        await cluster.CreateTopicAsync("E2ECloneOffsets", 2);
        await using var producer = await StartProducerAsync(cluster, "e2e-clone-producer");
        await SendUntilAcknowledgedAsync(producer, "E2ECloneOffsets", "clone", 6);
        await cluster.Admin.ResetOffsetByTimeAsync("e2e-clone-src", "E2ECloneOffsets", -1, force: true);
        var source = await cluster.Admin.GetConsumerProgressAsync("e2e-clone-src", "E2ECloneOffsets");
        Assert.Equal(6, source.Queues.Sum(q => q.ConsumerOffset));

        var result = await RunAsync("admin", "cloneGroupOffset", "-s", "e2e-clone-src", "-d", "e2e-clone-dest", "-t", "E2ECloneOffsets");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("clone group offset success. srcGroup[e2e-clone-src], destGroup=[e2e-clone-dest], topic[E2ECloneOffsets]", result.Output.Trim());
        await Poll.UntilTrueAsync(async token =>
        {
            var copied = await cluster.Admin.GetConsumerProgressAsync("e2e-clone-dest", "E2ECloneOffsets", token);
            return copied.Queues.OrderBy(q => q.Queue.QueueId).Select(q => q.ConsumerOffset)
                .SequenceEqual(source.Queues.OrderBy(q => q.Queue.QueueId).Select(q => q.ConsumerOffset));
        }, Deadline, PollInterval, "the destination group's offsets to equal the source's", CancellationToken.None);
    }

    [Fact]
    public async Task CloneGroupOffset_of_an_unknown_topic_fails_naming_it()
    {
        var result = await RunAsync("admin", "cloneGroupOffset", "-s", "a", "-d", "b", "-t", "E2ENoSuchCloneTopic");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Topic E2ENoSuchCloneTopic does not exist.", result.Error, StringComparison.Ordinal);
    }

    public void Dispose() => _logs.Dispose();

    private Task<RaftMqRun.Result> RunAsync(params string[] arguments) =>
        RaftMqRun.RunAsync(_logs.Path, Deadline, [.. arguments, "-n", cluster.NameServer, "-l", _logs.Path]);
}
