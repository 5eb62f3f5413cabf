using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using RaftMq.Cli.Processes;
using RaftMq.Client;
using RaftMq.Client.Consumer;
using RaftMq.Protocol.Bodies;
using static RaftMq.Integration.Tests.EndToEnd.E2EClients;

namespace RaftMq.Integration.Tests.EndToEnd;

/// <summary>
/// The verbs a broker passes on to one consumer (consumerStatus: GET_CONSUMER_RUNNING_INFO 307; consumeMessageDirectly and
/// queryMsgById -g -d: CONSUME_MESSAGE_DIRECTLY 309) and resendMsgById, as processes against the shared cluster with a live
/// .NET push consumer answering.
/// </summary>
[Collection(E2EClusterCollection.Name)]
public sealed class ConsumerCallVerbTests(E2ECluster cluster) : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);
    private readonly TestDirectory _logs = new("consumer-call-verb-logs");
    private string? _lastError;

    [Fact]
    public async Task ConsumerStatus_prints_each_members_running_info_and_the_group_checks()
    {
        const string topic = "E2EStatusTopic";
        const string group = "e2e-status-group";
        await cluster.CreateTopicAsync(topic, 2);
        var deliveries = new ConcurrentDictionary<string, int>();
        await using var consumer = CreateConsumer(cluster, group, "e2e-status-a");
        consumer.Subscribe(topic, "TagS || TagT");
        await consumer.StartAsync(Recorder(deliveries));
        await using var producer = await StartProducerAsync(cluster, "e2e-status-producer");
        var sent = new List<SendResult>();
        for (int i = 0; i < 3; i++) sent.Add(await producer.SendAsync(new Message(topic, Encoding.UTF8.GetBytes($"status-{i}"), "TagS")));
        // The running info counts a batch once the listener returned: wait for the rates and the held queues to show it.
        ConsumerRunningInfo? seen = null;
        try
        {
            await Poll.UntilTrueAsync(async token =>
                {
                    seen = await TryRunningInfoAsync(group, consumer.ClientId, token);
                    return seen is not null && seen.StatusTable.TryGetValue(topic, out var status) && status.ConsumeOKTPS > 0
                        && seen.MqTable.Where(q => q.Key.Topic == topic).Sum(q => q.Value.CommitOffset) == sent.Count;
                },
                Deadline, PollInterval, "the consumer to report its consumed messages", CancellationToken.None);
        }
        catch (DeadlineExceededException ex)
        {
            throw new InvalidOperationException($"{ex.Message}; last running info: {seen?.ToStandardJson() ?? "none"}; last error: {_lastError}; delivered: {deliveries.Count}", ex);
        }

        var all = await RunAsync("admin", "consumerStatus", "-g", group);
        var one = await RunAsync("admin", "consumerStatus", "-g", group, "-i", consumer.ClientId);
        var json = await RunAsync("admin", "consumerStatus", "-g", group, "-i", consumer.ClientId, "--json");

        Assert.Equal(0, all.ExitCode);
        var row = Assert.Single(Regex.Matches(all.Output, $@"(?m)^001  {Regex.Escape(consumer.ClientId)}\s+V4_9_8\s+(?<file>\S+)\s*$"));
        Assert.Contains("Same subscription in the same group of consumer", all.Output, StringComparison.Ordinal);
        Assert.Contains("Rebalance OK", all.Output, StringComparison.Ordinal);
        string saved = await File.ReadAllTextAsync(row.Groups["file"].Value);
        Assert.Contains("#Consumer Properties#", saved, StringComparison.Ordinal);

        Assert.Equal(0, one.ExitCode);
        Assert.Matches(new Regex($@"(?m)^consumerGroup\s+: {group}$"), one.Output);
        Assert.Matches(new Regex(@"(?m)^PROP_CONSUME_TYPE\s+: CONSUME_PASSIVELY$"), one.Output);
        Assert.Matches(new Regex(@"(?m)^PROP_CLIENT_VERSION\s+: V4_9_8$"), one.Output);
        Assert.Matches(new Regex($@"(?m)^\d{{3}} Topic: {topic}\s+ClassFilter: false\s+SubExpression: TagS \|\| TagT$"), one.Output);
        foreach (var queue in consumer.AssignedQueues.Where(q => q.Topic == topic))
        {
            Assert.Matches(new Regex($@"(?m)^{topic}\s+{Regex.Escape(queue.BrokerName)}\s+{queue.QueueId}\s+\d+\s*$"), one.Output);
            Assert.Matches(new Regex($@"(?m)^{topic}\s+{Regex.Escape(queue.BrokerName)}\s+{queue.QueueId}\s+ProcessQueueInfo \[commitOffset=\d+, .*droped=false, lastPullTimestamp=\d{{17}}, lastConsumeTimestamp=\d{{17}}\]$"), one.Output);
        }
        Assert.Matches(new Regex($@"(?m)^#Topic\s+#Pull RT\s+#Pull TPS\s+#Consume RT\s+#ConsumeOK TPS\s+#ConsumeFailed TPS\s+#ConsumeFailedMsgsInHour$"), one.Output);
        Assert.Matches(new Regex($@"(?m)^{topic}\s+\d+\.\d\d\s+\d+\.\d\d\s+\d+\.\d\d\s+\d+\.\d\d\s+0\.00\s+0$"), one.Output);

        Assert.Equal(0, json.ExitCode);
        using var body = JsonDocument.Parse(json.Output);
        var held = body.RootElement.GetProperty("mqTable").EnumerateArray()
            .Where(entry => entry.GetProperty("messageQueue").GetProperty("topic").GetString() == topic).ToList();
        Assert.Equal(consumer.AssignedQueues.Count(q => q.Topic == topic), held.Count);
        Assert.Equal(sent.Count, held.Sum(entry => entry.GetProperty("processQueueInfo").GetProperty("commitOffset").GetInt64()));
        Assert.Equal(group, body.RootElement.GetProperty("properties").GetProperty("consumerGroup").GetString());
    }

    [Fact]
    public async Task ConsumeMessageDirectly_runs_a_stored_message_through_the_named_consumers_listener()
    {
        const string topic = "E2EDirectTopic";
        const string group = "e2e-direct-group";
        await cluster.CreateTopicAsync(topic, 1);
        var deliveries = new ConcurrentDictionary<string, int>();
        await using var consumer = CreateConsumer(cluster, group, "e2e-direct-a");
        consumer.Subscribe(topic);
        await consumer.StartAsync((messages, _, _) =>
        {
            foreach (var message in messages) deliveries.AddOrUpdate(Encoding.UTF8.GetString(message.Body), 1, (_, count) => count + 1);
            bool later = messages.Any(m => Encoding.UTF8.GetString(m.Body) == "direct-later");
            return ValueTask.FromResult(later ? ConsumeResult.ReconsumeLater : ConsumeResult.Success);
        });
        await using var producer = await StartProducerAsync(cluster, "e2e-direct-producer");
        var ok = await producer.SendAsync(new Message(topic, Encoding.UTF8.GetBytes("direct-ok")));
        var later = await producer.SendAsync(new Message(topic, Encoding.UTF8.GetBytes("direct-later")));
        await Poll.UntilTrueAsync(_ => Task.FromResult(deliveries.ContainsKey("direct-ok") && deliveries.ContainsKey("direct-later")),
            Deadline, PollInterval, "the messages' normal delivery", CancellationToken.None);
        int okBefore = deliveries["direct-ok"];

        var direct = await RunAsync("admin", "consumeMessageDirectly", "-g", group, "-d", consumer.ClientId, "-i", ok.OffsetMsgId);
        var byProducerId = await RunAsync("admin", "queryMsgById", "-i", later.MsgId, "-t", topic, "-g", group, "-d", consumer.ClientId, "--json");

        Assert.Equal(0, direct.ExitCode);
        Assert.Matches(new Regex(@"(?m)^ConsumeMessageDirectlyResult \[order=false, autoCommit=true, consumeResult=CR_SUCCESS, remark=null, spentTimeMills=\d+\]$"), direct.Output);
        Assert.True(deliveries["direct-ok"] > okBefore, "the listener saw the message once more");
        Assert.Equal(1, byProducerId.ExitCode);
        using var body = JsonDocument.Parse(byProducerId.Output);
        var result = Assert.Single(body.RootElement.EnumerateArray());
        Assert.Equal("CR_LATER", result.GetProperty("consumeResult").GetString());
        Assert.Equal(later.MsgId, result.GetProperty("msgId").GetString());
    }

    [Fact]
    public async Task ResendMsgById_sends_the_stored_message_again_with_its_producer_id()
    {
        const string topic = "E2EResendTopic";
        await cluster.CreateTopicAsync(topic, 1);
        var ids = new ConcurrentDictionary<string, int>();
        await using var consumer = CreateConsumer(cluster, "e2e-resend-group", "e2e-resend-a");
        consumer.Subscribe(topic);
        await consumer.StartAsync((messages, _, _) =>
        {
            foreach (var message in messages) ids.AddOrUpdate(message.MsgId, 1, (_, count) => count + 1);
            return ValueTask.FromResult(ConsumeResult.Success);
        });
        await using var producer = await StartProducerAsync(cluster, "e2e-resend-producer");
        var original = await producer.SendAsync(new Message(topic, Encoding.UTF8.GetBytes("resend-me"), "TagR", "resend-key"));

        var text = await RunAsync("admin", "resendMsgById", "-i", original.OffsetMsgId);
        var json = await RunAsync("admin", "queryMsgById", "-i", original.OffsetMsgId, "-s", "true", "--json");

        Assert.Equal(0, text.ExitCode);
        Assert.Contains($"prepare resend msg. originalMsgId={original.OffsetMsgId}", text.Output, StringComparison.Ordinal);
        Assert.Matches(new Regex($@"(?m)^SendResult \[sendStatus=SEND_OK, msgId={original.MsgId}, offsetMsgId=[0-9A-F]{{32}}, messageQueue=MessageQueue \[topic={topic}, brokerName=\S+, queueId=0\], queueOffset=\d+\]$"), text.Output);
        Assert.Equal(0, json.ExitCode);
        using var body = JsonDocument.Parse(json.Output);
        var resent = Assert.Single(body.RootElement.EnumerateArray());
        Assert.Equal("SEND_OK", resent.GetProperty("sendStatus").GetString());
        Assert.Equal(original.MsgId, resent.GetProperty("msgId").GetString());
        await Poll.UntilTrueAsync(_ => Task.FromResult(ids.GetValueOrDefault(original.MsgId) >= 3),
            Deadline, PollInterval, "the original and both copies to be delivered", CancellationToken.None);
        var copy = await cluster.Admin.ViewMessageByOffsetIdAsync(resent.GetProperty("offsetMsgId").GetString()!);
        Assert.NotNull(copy);
        Assert.Equal("TagR", copy.Tags);
        Assert.Equal("resend-key", copy.Keys);
    }

    [Theory]
    [InlineData(1, "Consumer group e2e-call-nobody has no online consumer.", "consumerStatus", "-g", "e2e-call-nobody")]
    [InlineData(2, "option --msgId: 'xyz' is not a message id", "consumeMessageDirectly", "-g", "g", "-d", "c", "-i", "xyz")]
    [InlineData(2, "options --consumerGroup and --clientId go together", "queryMsgById", "-i", "0A0A0A0A00002A9F0000000000000000", "-g", "g")]
    [InlineData(2, "option --clientId is required", "consumeMessageDirectly", "-g", "g", "-i", "0A0A0A0A00002A9F0000000000000000")]
    public async Task Bad_input_and_absent_consumers_get_a_one_line_error(int exitCode, string error, params string[] arguments)
    {
        var run = await RunAsync(["admin", .. arguments]);

        Assert.Equal(exitCode, run.ExitCode);
        Assert.Contains(error, run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConsumerStatus_of_a_client_that_is_not_a_member_names_it()
    {
        await cluster.CreateTopicAsync("E2EStatusOther", 1);
        await using var consumer = CreateConsumer(cluster, "e2e-status-other", "e2e-status-other-a");
        consumer.Subscribe("E2EStatusOther");
        await consumer.StartAsync((_, _, _) => ValueTask.FromResult(ConsumeResult.Success));
        await Poll.UntilTrueAsync(async token => await TryRunningInfoAsync("e2e-status-other", consumer.ClientId, token) is not null,
            Deadline, PollInterval, "the consumer's heartbeat", CancellationToken.None);

        var run = await RunAsync("admin", "consumerStatus", "-g", "e2e-status-other", "-i", "10.9.9.9@nobody");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("The Consumer <e2e-status-other> <10.9.9.9@nobody> not online", run.Error, StringComparison.Ordinal);
    }

    public void Dispose() => _logs.Dispose();

    private async Task<ConsumerRunningInfo?> TryRunningInfoAsync(string group, string clientId, CancellationToken token)
    {
        try
        {
            return await cluster.Admin.GetConsumerRunningInfoAsync(group, clientId, cancellationToken: token);
        }
        catch (MQException ex)
        {
            _lastError = ex.Message;
            return null; // the heartbeat has not reached the broker yet
        }
    }

    private Task<RaftMqRun.Result> RunAsync(params string[] arguments) =>
        RaftMqRun.RunAsync(_logs.Path, Deadline, [.. arguments, "-n", cluster.NameServer, "-l", _logs.Path]);
}
