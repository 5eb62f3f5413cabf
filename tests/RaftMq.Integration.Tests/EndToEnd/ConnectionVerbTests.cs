using System.Text.Json;
using System.Text.RegularExpressions;
using RaftMq.Cli.Processes;
using RaftMq.Client;
using RaftMq.Protocol.Codes;
using static RaftMq.Integration.Tests.EndToEnd.E2EClients;

namespace RaftMq.Integration.Tests.EndToEnd;

/// <summary>consumerConnection / producerConnection as processes against the shared cluster, with live .NET clients.</summary>
[Collection(E2EClusterCollection.Name)]
public sealed class ConnectionVerbTests(E2ECluster cluster) : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);
    private readonly TestDirectory _logs = new("connection-verb-logs");

    [Fact]
    public async Task ConsumerConnection_lists_the_online_members_their_subscription_and_settings()
    {
        await cluster.CreateTopicAsync("E2EConnTopic", 2);
        await using var consumer = CreateConsumer(cluster, "e2e-conn-group", "e2e-conn-a");
        consumer.Subscribe("E2EConnTopic", "TagA || TagB");
        await consumer.StartAsync((_, _, _) => ValueTask.FromResult(RaftMq.Client.Consumer.ConsumeResult.Success));
        await Poll.UntilTrueAsync(async token =>
            (await TryConsumerConnectionAsync("e2e-conn-group", token))?.SubscriptionTable.ContainsKey("E2EConnTopic") == true,
            Deadline, PollInterval, "the consumer's heartbeat to reach the master", CancellationToken.None);

        var text = await RunAsync("admin", "consumerConnection", "-g", "e2e-conn-group");
        var json = await RunAsync("admin", "consumerConnection", "-g", "e2e-conn-group", "--json");

        Assert.Equal(0, text.ExitCode);
        Assert.Matches(new Regex($@"(?m)^001  {Regex.Escape(consumer.ClientId)}\s+127\.0\.0\.1:\d+\s+DOTNET\s+V4_9_8\s*$"), text.Output);
        Assert.Matches(new Regex(@"(?m)^\d{3}  Topic: E2EConnTopic\s+SubExpression: TagA \|\| TagB\s*$"), text.Output);
        Assert.Contains("ConsumeType: CONSUME_PASSIVELY", text.Output, StringComparison.Ordinal);
        Assert.Contains("MessageModel: CLUSTERING", text.Output, StringComparison.Ordinal);
        Assert.Contains("ConsumeFromWhere: CONSUME_FROM_FIRST_OFFSET", text.Output, StringComparison.Ordinal);
        Assert.Equal(0, json.ExitCode);
        using var body = JsonDocument.Parse(json.Output);
        var member = Assert.Single(body.RootElement.GetProperty("connectionSet").EnumerateArray());
        Assert.Equal(consumer.ClientId, member.GetProperty("clientId").GetString());
        Assert.Equal(MQVersion.Current, member.GetProperty("version").GetInt32());
        Assert.Equal("TagA || TagB", body.RootElement.GetProperty("subscriptionTable").GetProperty("E2EConnTopic").GetProperty("subString").GetString());
    }

    [Fact]
    public async Task ProducerConnection_lists_the_producer_that_sends_to_the_topic()
    {
        await cluster.CreateTopicAsync("E2EProdConnTopic", 1);
        await using var producer = await StartProducerAsync(cluster, "e2e-prod-conn-group");
        await SendUntilAcknowledgedAsync(producer, "E2EProdConnTopic", "conn", 1);
        await Poll.UntilTrueAsync(async token =>
            {
                try
                {
                    return (await cluster.Admin.GetProducerConnectionAsync("e2e-prod-conn-group", "E2EProdConnTopic", token)).ConnectionSet.Count > 0;
                }
                catch (MQClientException)
                {
                    return false;
                }
            },
            Deadline, PollInterval, "the producer's heartbeat to reach the master", CancellationToken.None);

        var text = await RunAsync("admin", "producerConnection", "-g", "e2e-prod-conn-group", "-t", "E2EProdConnTopic");

        Assert.Equal(0, text.ExitCode);
        Assert.Matches(new Regex($@"(?m)^0001  {Regex.Escape(producer.ClientId)}\s+127\.0\.0\.1:\d+\s+DOTNET\s+V4_9_8\s*$"), text.Output);
        Assert.Single(Regex.Matches(text.Output, @"(?m)^\d{4}  "));
    }

    [Fact]
    public async Task Connection_verbs_of_groups_without_members_fail_naming_the_group()
    {
        await cluster.CreateTopicAsync("E2EConnNobody", 1);

        var consumers = await RunAsync("admin", "consumerConnection", "-g", "e2e-nobody-group");
        var producers = await RunAsync("admin", "producerConnection", "-g", "e2e-nobody-group", "-t", "E2EConnNobody");

        Assert.Equal(1, consumers.ExitCode);
        Assert.Contains("Consumer group e2e-nobody-group has no online consumer.", consumers.Error, StringComparison.Ordinal);
        Assert.Equal(1, producers.ExitCode);
        Assert.Contains("Producer group e2e-nobody-group has no online producer at the brokers of topic E2EConnNobody.", producers.Error, StringComparison.Ordinal);
    }

    public void Dispose() => _logs.Dispose();

    private async Task<RaftMq.Protocol.Bodies.ConsumerConnection?> TryConsumerConnectionAsync(string group, CancellationToken token)
    {
        try
        {
            return await cluster.Admin.GetConsumerConnectionAsync(group, token);
        }
        catch (MQClientException ex) when (ex.ResponseCode == ResponseCode.ConsumerNotOnline)
        {
            return null;
        }
    }

    private Task<RaftMqRun.Result> RunAsync(params string[] arguments) =>
        RaftMqRun.RunAsync(_logs.Path, Deadline, [.. arguments, "-n", cluster.NameServer, "-l", _logs.Path]);
}
