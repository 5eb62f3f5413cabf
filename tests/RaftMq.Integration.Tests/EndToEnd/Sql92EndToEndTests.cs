using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;
using RaftMq.Client;
using RaftMq.Client.Consumer;
using RaftMq.Protocol.Codes;

namespace RaftMq.Integration.Tests.EndToEnd;

/// <summary>SQL92 selectors over real processes (the shared cluster runs with enablePropertyFilter=true).</summary>
[Collection(E2EClusterCollection.Name)]
public sealed class Sql92EndToEndTests(E2ECluster cluster) : IAsyncLifetime, IDisposable
{
    private const string Topic = "E2ESql92";
    private const string Selector = "a >= 10 AND region = 'eu'";
    private static readonly string[] Matching = ["sql-12", "sql-15", "sql-18", "sql-21", "sql-24", "sql-27"];

    private readonly TestDirectory _logs = new("sql92-logs");

    private static readonly SemaphoreSlim ProducedOnce = new(1, 1);
    private static bool _produced;

    /// <summary>The 30 messages are produced once for the class (xunit makes an instance per test).</summary>
    public async Task InitializeAsync()
    {
        await ProducedOnce.WaitAsync();
        try
        {
            if (_produced) return;
            await ProduceAsync();
            _produced = true;
        }
        finally
        {
            ProducedOnce.Release();
        }
    }

    private async Task ProduceAsync()
    {
        await cluster.CreateTopicAsync(Topic, 2);
        await using var producer = await E2EClients.StartProducerAsync(cluster, "sql92-producer");
        using var deadline = new CancellationTokenSource(E2ECluster.Deadline);
        for (int i = 0; i < 30; i++)
        {
            var message = new Message(Topic, Encoding.UTF8.GetBytes($"sql-{i}"), tags: i % 2 == 0 ? "Even" : "Odd");
            message.SetProperty("a", i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            message.SetProperty("region", i % 3 == 0 ? "eu" : "us");
            await producer.SendAsync(message, deadline.Token);
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _logs.Dispose();

    [Fact]
    public async Task Push_consumer_gets_only_matching_messages_and_its_offsets_move_past_the_rest()
    {
        var deliveries = new ConcurrentDictionary<string, int>();
        await using var consumer = E2EClients.CreateConsumer(cluster, "sql92-push", "sql92-push");
        consumer.Subscribe(Topic, MessageSelector.BySql(Selector));
        await consumer.StartAsync(E2EClients.Recorder(deliveries));

        Assert.True(await E2EClients.EventuallyAsync(() => deliveries.Count >= Matching.Length), $"received {deliveries.Count} of {Matching.Length}");
        bool caughtUp = await E2EClients.EventuallyAsync(() =>
        {
            consumer.PersistOffsetsAsync().GetAwaiter().GetResult();
            return cluster.Admin.GetConsumerProgressAsync("sql92-push", Topic).GetAwaiter().GetResult().TotalLag == 0;
        });

        Assert.Equal(Matching, deliveries.Keys.Order(StringComparer.Ordinal));
        Assert.True(caughtUp, "the committed offsets reach the end of every queue, past the skipped messages");
    }

    [Fact]
    public async Task Consume_verb_with_sql_prints_only_matching_messages()
    {
        var result = await RaftMqRun.RunAsync(_logs.Path, E2ECluster.Deadline,
            "consume", "-t", Topic, "-g", "sql92-verb", "--sql", Selector, "-c", "6", "--timeout", "60s", "-n", cluster.NameServer, "-l", _logs.Path);

        Assert.Equal(0, result.ExitCode);
        var bodies = Regex.Matches(result.Output, @"body=(sql-\d+)").Select(match => match.Groups[1].Value).Order(StringComparer.Ordinal);
        Assert.Equal(Matching, bodies);
    }

    [Fact]
    public async Task Starting_a_consumer_with_a_bad_expression_fails_with_the_brokers_parse_error()
    {
        await using var consumer = E2EClients.CreateConsumer(cluster, "sql92-bad", "sql92-bad");
        consumer.Subscribe(Topic, MessageSelector.BySql("a >> 1"));

        var error = await Assert.ThrowsAsync<MQBrokerException>(() => consumer.StartAsync(E2EClients.Recorder(new())));

        Assert.Equal(ResponseCode.SubscriptionParseFailed, error.ResponseCode);
        Assert.Contains("unexpected \">\" at line 1, column 4", error.Remark, StringComparison.Ordinal);
    }
}
