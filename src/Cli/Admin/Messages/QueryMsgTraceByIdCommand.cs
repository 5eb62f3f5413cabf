using System.Globalization;
using System.Text.Json;
using RaftMq.Cli.CommandLine;
using RaftMq.Cli.Output;
using RaftMq.Client.Admin;
using RaftMq.Client.Trace;
using RaftMq.Protocol.Messages;

namespace RaftMq.Cli.Admin.Messages;

/// <summary>
/// <c>raftmq admin queryMsgTraceById -i MSGID</c>: mqadmin's queryMsgTraceById. Finds the trace messages whose keys hold
/// the id in the trace topic and prints the message's life: each send (producer group and host, time, broker, cost,
/// status), then each delivery to a consumer group (host, time, retry count, handler cost, result).
/// </summary>
public sealed class QueryMsgTraceByIdCommand : AdminCommand
{
    private const string TimeFormat = "yyyy-MM-dd HH:mm:ss.fff";

    private static readonly OptionSpec MsgIdOption = OptionSpec.Value("msg-id", "i", "MSGID", "the message id (the producer's msgId, UNIQ_KEY; required)");
    private static readonly OptionSpec QueryTopicOption = OptionSpec.Value("trace-topic", "t", "TOPIC", "trace topic (default RMQ_SYS_TRACE_TOPIC)");

    public override string Name => "queryMsgTraceById";

    public override string Summary => "print a message's trace: sends and deliveries with hosts, times, costs and results (needs message trace on in the clients)";

    protected override IReadOnlyList<OptionSpec> AdminOptions => [MsgIdOption, QueryTopicOption, JsonOption];

    protected override string? Notes => "example: raftmq admin queryMsgTraceById -n 127.0.0.1:9876 -i 7F0000010F2A18B4AAC27A1B2C3D0000\n" +
        "times are UTC; records arrive a few ms after the send or consume they describe";

    protected override void Validate(ParsedArgs args)
    {
        if (string.IsNullOrWhiteSpace(args.Require(MsgIdOption.Name))) throw new UsageException($"--{MsgIdOption.Name} needs a message id");
    }

    protected override async Task<int> RunAsync(MQAdminClient admin, ParsedArgs args, CommandContext context)
    {
        string msgId = args.Require(MsgIdOption.Name).Trim();
        string traceTopic = args.Get(QueryTopicOption.Name, SystemNames.TraceTopic);
        var trace = await admin.QueryMessageTraceAsync(msgId, traceTopic, cancellationToken: context.Stopping).ConfigureAwait(false);
        if (trace.IsEmpty)
        {
            await context.Error.WriteLineAsync($"no trace records of message {msgId} in {traceTopic} " +
                "(unknown id, or it was sent and consumed without message trace)").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        await context.Out.WriteAsync(args.Has(JsonOption.Name) ? Json(trace) : Text(trace)).ConfigureAwait(false);
        return ExitCodes.Success;
    }

    private static string Text(MessageTraceView trace)
    {
        var subject = trace.Sends.Count > 0 ? trace.Sends[0].Record : null;
        var text = new System.Text.StringBuilder();
        text.Append("Message ").Append(trace.MsgId);
        if (subject is not null) text.Append(CultureInfo.InvariantCulture, $"  topic={subject.Topic} tags={subject.Tags} keys={subject.Keys}");
        text.AppendLine().AppendLine();
        if (trace.Sends.Count > 0)
        {
            var sends = new TextTable("Type", "ProducerGroup", "ClientHost", "SendTime", "StoreHost", "CostTimes", "Status").AlignRight("CostTimes");
            foreach (var send in trace.Sends)
            {
                sends.AddRow("Pub", send.ProducerGroup, send.ClientHost, Time(send.SendTime), send.StoreHost, $"{send.CostMs}ms", send.Success ? "success" : "failed");
            }
            text.Append(sends).AppendLine();
        }
        if (trace.TransactionEnds.Count > 0)
        {
            var ends = new TextTable("Type", "ProducerGroup", "ClientHost", "EndTime", "StoreHost", "TransactionState", "FromCheck");
            foreach (var end in trace.TransactionEnds)
            {
                ends.AddRow("EndTransaction", end.ProducerGroup, end.ClientHost, Time(end.EndTime), end.StoreHost, end.State,
                    end.FromTransactionCheck ? "true" : "false");
            }
            text.Append(ends).AppendLine();
        }
        if (trace.Consumes.Count > 0)
        {
            var consumes = new TextTable("Type", "ConsumerGroup", "ClientHost", "ConsumeTime", "RetryTimes", "CostTimes", "Status")
                .AlignRight("RetryTimes", "CostTimes");
            foreach (var consume in trace.Consumes)
            {
                consumes.AddRow("Sub", consume.ConsumerGroup, consume.ClientHost, Time(consume.ConsumeTime), consume.RetryTimes,
                    consume.CostMs is { } cost ? $"{cost}ms" : "-", Status(consume));
            }
            text.Append(consumes);
        }
        return text.ToString();
    }

    private static string Status(ConsumeTrace consume) => consume.Success switch
    {
        null => "no result recorded",
        true => "success",
        false => $"failed ({consume.ReturnType})",
    };

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    private static string Json(MessageTraceView trace) => JsonOutput.Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("msgId", trace.MsgId);
        writer.WriteStartArray("sends");
        foreach (var send in trace.Sends)
        {
            writer.WriteStartObject();
            writer.WriteString("producerGroup", send.ProducerGroup);
            writer.WriteString("clientHost", send.ClientHost);
            writer.WriteNumber("sendTime", send.SendTime.ToUnixTimeMilliseconds());
            writer.WriteString("storeHost", send.StoreHost);
            writer.WriteNumber("costMs", send.CostMs);
            writer.WriteBoolean("success", send.Success);
            writer.WriteString("topic", send.Record.Topic);
            writer.WriteString("tags", send.Record.Tags);
            writer.WriteString("keys", send.Record.Keys);
            writer.WriteString("offsetMsgId", send.Record.OffsetMsgId);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteStartArray("transactionEnds");
        foreach (var end in trace.TransactionEnds)
        {
            writer.WriteStartObject();
            writer.WriteString("producerGroup", end.ProducerGroup);
            writer.WriteString("clientHost", end.ClientHost);
            writer.WriteNumber("endTime", end.EndTime.ToUnixTimeMilliseconds());
            writer.WriteString("storeHost", end.StoreHost);
            writer.WriteString("transactionState", end.State);
            writer.WriteBoolean("fromTransactionCheck", end.FromTransactionCheck);
            writer.WriteString("transactionId", end.TransactionId);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteStartArray("consumes");
        foreach (var consume in trace.Consumes) WriteConsume(writer, consume);
        writer.WriteEndArray();
        writer.WriteEndObject();
    });

    private static void WriteConsume(Utf8JsonWriter writer, ConsumeTrace consume)
    {
        writer.WriteStartObject();
        writer.WriteString("consumerGroup", consume.ConsumerGroup);
        writer.WriteString("clientHost", consume.ClientHost);
        writer.WriteNumber("consumeTime", consume.ConsumeTime.ToUnixTimeMilliseconds());
        writer.WriteNumber("retryTimes", consume.RetryTimes);
        if (consume.CostMs is { } cost) writer.WriteNumber("costMs", cost);
        else writer.WriteNull("costMs");
        if (consume.Success is { } success) writer.WriteBoolean("success", success);
        else writer.WriteNull("success");
        writer.WriteString("returnType", consume.ReturnType);
        writer.WriteEndObject();
    }
}
