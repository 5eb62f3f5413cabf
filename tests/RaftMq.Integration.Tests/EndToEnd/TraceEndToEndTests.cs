using System.Text;
using System.Text.RegularExpressions;
using RaftMq.Cli.Processes;
using RaftMq.Client;
using RaftMq.Client.Consumer;
using RaftMq.Client.Producer;
using RaftMq.Client.Trace;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Messages;

namespace RaftMq.Integration.Tests.EndToEnd;

/// <summary>
/// Message trace over real processes (the shared cluster runs with traceTopicEnable=true, so RMQ_SYS_TRACE_TOPIC exists):
/// traced producer and consumers write their records, and the trace query finds them by message id.
/// </summary>
[Collection(E2EClusterCollection.Name)]
public sealed partial class TraceEndToEndTests(E2ECluster cluster) : IDisposable
{
    private const string Topic = "E2ETrace";
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    private readonly TestDirectory _logs = new("trace-logs");

    public void Dispose() => _logs.Dispose();

    [Fact]
    public async Task Trace_shows_the_send_a_retried_consume_and_the_deliveries_of_a_group_that_sent_the_message_to_its_DLQ()
    {
        await cluster.CreateTopicAsync(Topic, 2);
        using var deadline = new CancellationTokenSource(E2ECluster.Deadline);
        await using var producer = new MQProducer(new ProducerOptions
        {
            NameServerAddresses = [cluster.NameServer], ProducerGroup = "trace-producer", InstanceName = "trace-producer", EnableMsgTrace = true,
        });
        await producer.StartAsync();
        var sent = await producer.SendAsync(new Message(Topic, Encoding.UTF8.GetBytes("traced"), "TagT", "trace-key"), deadline.Token);

        // "trace-retry" fails the first delivery and consumes the retry; "trace-dlq" fails both deliveries it is allowed.
        await using var retrying = await StartFailingConsumerAsync("trace-retry", sent.MsgId, maxReconsumeTimes: 16, failWhile: retry => retry == 0);
        await using var givingUp = await StartFailingConsumerAsync("trace-dlq", sent.MsgId, maxReconsumeTimes: 1, failWhile: _ => true);

        var trace = await Poll.UntilAsync(async token =>
        {
            var view = await cluster.Admin.QueryMessageTraceAsync(sent.MsgId, cancellationToken: token);
            bool complete = view.Sends.Count == 1
                && view.Consumes.Count(c => c.ConsumerGroup == "trace-retry" && c.Success is not null) == 2
                && view.Consumes.Count(c => c.ConsumerGroup == "trace-dlq" && c.Success is not null) == 2;
            return complete ? view : null;
        }, E2ECluster.Deadline, PollInterval, "the complete trace", CancellationToken.None);

        var send = Assert.Single(trace.Sends);
        Assert.Equal(("trace-producer", true, Topic, "TagT", "trace-key", sent.OffsetMsgId),
            (send.ProducerGroup, send.Success, send.Record.Topic, send.Record.Tags, send.Record.Keys, send.Record.OffsetMsgId));
        Assert.Contains(send.StoreHost, cluster.Layout.Brokers.Select(b => b.Address));
        Assert.Equal([(0, (bool?)false, "FAILED"), (1, true, "SUCCESS")],
            trace.Consumes.Where(c => c.ConsumerGroup == "trace-retry").Select(c => (c.RetryTimes, c.Success, c.ReturnType)));
        Assert.Equal([(0, (bool?)false, "FAILED"), (1, false, "FAILED")],
            trace.Consumes.Where(c => c.ConsumerGroup == "trace-dlq").Select(c => (c.RetryTimes, c.Success, c.ReturnType)));
        var dead = await Poll.UntilAsync(token => FindAsync(SystemNames.DlqTopic("trace-dlq"), sent.MsgId, token),
            E2ECluster.Deadline, PollInterval, "the message in %DLQ%trace-dlq", CancellationToken.None);
        Assert.Equal("traced", Encoding.UTF8.GetString(dead.Body));
        Assert.Equal(0, producer.TraceStatistics!.Value.Dropped);
    }

    [Fact]
    public async Task A_traced_transaction_records_its_unknown_end_and_the_commit_its_check_back_decided()
    {
        const string topic = "E2ETraceTx";
        await cluster.CreateTopicAsync(topic, 1);
        using var deadline = new CancellationTokenSource(E2ECluster.Deadline);
        await using var producer = new TransactionProducer(new ProducerOptions
        {
            NameServerAddresses = [cluster.NameServer], ProducerGroup = "trace-tx-producer", InstanceName = "trace-tx-producer",
            EnableMsgTrace = true, HeartbeatInterval = TimeSpan.FromSeconds(1),
        }, new DecideOnCheck());
        await producer.StartAsync();
        var result = await producer.SendMessageInTransactionAsync(new Message(topic, Encoding.UTF8.GetBytes("tx"), "TagX", "tx-key"),
            null, deadline.Token);
        Assert.Null(result.EndTransactionError);
        string msgId = result.SendResult.MsgId;

        var trace = await Poll.UntilAsync(async token =>
        {
            var view = await cluster.Admin.QueryMessageTraceAsync(msgId, cancellationToken: token);
            return view.Sends.Count == 1 && view.TransactionEnds.Count == 2 ? view : null;
        }, E2ECluster.Deadline, PollInterval, "the send and both transaction ends in the trace", CancellationToken.None);

        Assert.Equal(1, Assert.Single(trace.Sends).Record.MessageType); // the half message
        Assert.Equal([("UNKNOW", false), ("COMMIT_MESSAGE", true)], trace.TransactionEnds.Select(e => (e.State, e.FromTransactionCheck)));
        Assert.All(trace.TransactionEnds, e => Assert.Equal(("trace-tx-producer", msgId), (e.ProducerGroup, e.TransactionId)));
        Assert.All(trace.TransactionEnds, e => Assert.Contains(e.StoreHost, cluster.Layout.Brokers.Select(b => b.Address)));
    }

    /// <summary>Leaves the local transaction undecided; the broker's check-back commits it.</summary>
    private sealed class DecideOnCheck : ITransactionListener
    {
        public LocalTransactionState ExecuteLocalTransaction(Message message, object? argument) => LocalTransactionState.Unknown;

        public LocalTransactionState CheckLocalTransaction(MessageExt message) => LocalTransactionState.CommitMessage;
    }

    [Fact]
    public async Task Produce_and_consume_verbs_with_trace_leave_a_trace_that_queryMsgTraceById_prints()
    {
        const string topic = "E2ETraceVerbs";
        var produced = await RunAsync("produce", "-t", topic, "-c", "1", "-g", "trace-verb-producer", "--trace");
        Assert.Equal(0, produced.ExitCode);
        string msgId = MsgIdPattern().Match(produced.Output).Groups[1].Value;
        Assert.Contains("trace: 1 records written to RMQ_SYS_TRACE_TOPIC", produced.Error, StringComparison.Ordinal);
        var consumed = await RunAsync("consume", "-t", topic, "-g", "trace-verb-consumer", "-c", "1", "--timeout", "60s", "--trace");
        Assert.Equal(0, consumed.ExitCode);

        // The key index is built from committed entries in the background: the records become findable shortly after.
        var printed = await Poll.UntilAsync(async _ =>
        {
            var result = await RunAsync("admin", "queryMsgTraceById", "-i", msgId);
            return result.ExitCode == 0 && result.Output.Contains("trace-verb-consumer", StringComparison.Ordinal) ? result : null;
        }, E2ECluster.Deadline, PollInterval, "the trace of the produced message", CancellationToken.None);

        Assert.Matches(@"Pub\s+trace-verb-producer\s+\S+\s+\S+ \S+\s+\S+\s+\d+ms\s+success", printed.Output);
        Assert.Matches(@"Sub\s+trace-verb-consumer\s+\S+\s+\S+ \S+\s+0\s+\d+ms\s+success", printed.Output);
    }

    [Fact]
    public async Task Querying_an_unknown_id_or_a_missing_trace_topic_fails_with_a_clear_error()
    {
        // The leader creates the trace topic shortly after its election; this test may be the first to run.
        await Poll.UntilTrueAsync(async token => await cluster.Admin.FindTopicRouteAsync(SystemNames.TraceTopic, token) is not null,
            E2ECluster.Deadline, PollInterval, "the trace topic to be created", CancellationToken.None);
        var unknown = await RunAsync("admin", "queryMsgTraceById", "-i", "0A0A0A0A0000000000000000DEADBEEF");
        var missingTopic = await RunAsync("admin", "queryMsgTraceById", "-i", "0A0A0A0A0000000000000000DEADBEEF", "-t", "NoSuchTraceTopic");
        var topicWithoutTrace = await RunAsync("produce", "-t", Topic, "-c", "1", "--trace-topic", "MyTrace");

        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("no trace records of message 0A0A0A0A0000000000000000DEADBEEF in RMQ_SYS_TRACE_TOPIC", unknown.Error, StringComparison.Ordinal);
        Assert.Equal(1, missingTopic.ExitCode);
        Assert.Contains("Topic NoSuchTraceTopic does not exist", missingTopic.Error, StringComparison.Ordinal);
        Assert.Equal(2, topicWithoutTrace.ExitCode);
        Assert.Contains("--trace-topic needs --trace", topicWithoutTrace.Error, StringComparison.Ordinal);
    }

    private async Task<PushConsumer> StartFailingConsumerAsync(string group, string msgId, int maxReconsumeTimes, Func<int, bool> failWhile)
    {
        var consumer = new PushConsumer(new PushConsumerOptions
        {
            NameServerAddresses = [cluster.NameServer], ConsumerGroup = group, InstanceName = group, EnableMsgTrace = true,
            ConsumeFromWhere = ConsumeFromWhere.ConsumeFromFirstOffset, MaxReconsumeTimes = maxReconsumeTimes,
        });
        consumer.Subscribe(Topic);
        await consumer.StartAsync((messages, context, _) =>
        {
            if (!messages.Any(m => m.MsgId == msgId && failWhile(m.ReconsumeTimes))) return ValueTask.FromResult(ConsumeResult.Success);
            context.DelayLevelWhenNextConsume = 1; // redelivered after 1 s
            return ValueTask.FromResult(ConsumeResult.ReconsumeLater);
        });
        return consumer;
    }

    /// <summary>The message with this id in the topic, or null while the topic or its index entry is not there yet.</summary>
    private async Task<MessageExt?> FindAsync(string topic, string msgId, CancellationToken cancellationToken)
    {
        try
        {
            var found = await cluster.Admin.QueryMessagesByKeyAsync(topic, msgId, DateTimeOffset.UnixEpoch, DateTimeOffset.MaxValue, uniqueKey: true,
                cancellationToken: cancellationToken);
            return found.FirstOrDefault(m => m.MsgId == msgId);
        }
        catch (MQException)
        {
            return null;
        }
    }

    private Task<RaftMqRun.Result> RunAsync(params string[] arguments) =>
        RaftMqRun.RunAsync(_logs.Path, E2ECluster.Deadline, [.. arguments, "-n", cluster.NameServer, "-l", _logs.Path]);

    [GeneratedRegex("msgId=([0-9A-F]{32})")]
    private static partial Regex MsgIdPattern();
}
