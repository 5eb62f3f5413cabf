using System.Globalization;
using System.Text;
using System.Text.Json;
using RaftMq.Cli.CommandLine;
using RaftMq.Cli.Output;
using RaftMq.Client;
using RaftMq.Client.Admin;
using RaftMq.Client.Consumer;

namespace RaftMq.Cli.Admin.Messages;

/// <summary><c>raftmq admin printMsg -t TOPIC [-s EXPR] [-b BEGIN] [-e END] [-c CHARSET] [-d true|false]</c>: mqadmin's
/// printMsg, every message of every readable queue of the topic (optionally within a store-time range and a tag
/// expression), one line each.</summary>
public sealed class PrintMsgCommand : AdminCommand
{
    private const string Separator = "--------------------------------------------------------";
    private static readonly OptionSpec TopicOption = MessageOptions.Topic;
    private static readonly OptionSpec CharsetOption = MessageOptions.Charset;
    private static readonly OptionSpec ExpressionOption = MessageOptions.Expression;
    private static readonly OptionSpec BeginOption = MessageOptions.Begin;
    private static readonly OptionSpec EndOption = MessageOptions.End;
    private static readonly OptionSpec PrintBodyOption = OptionSpec.Value("printBody", "d", "true|false", "print the bodies (default true)");

    public override string Name => "printMsg";

    public override string Summary => "print the messages of a topic, queue by queue, within a time range and tag expression";

    protected override IReadOnlyList<OptionSpec> AdminOptions => [TopicOption, CharsetOption, ExpressionOption, BeginOption, EndOption, PrintBodyOption, JsonOption];

    protected override void Validate(ParsedArgs args)
    {
        args.Require(TopicOption.Name);
        MessageOutput.Charset(args, CharsetOption);
        TimeArgument.Range(args, BeginOption, EndOption);
        Groups.UpdateSubGroupCommand.Bool(args, PrintBodyOption, true);
    }

    protected override async Task<int> RunAsync(MQAdminClient admin, ParsedArgs args, CommandContext context)
    {
        string topic = args.Require(TopicOption.Name).Trim();
        var charset = MessageOutput.Charset(args, CharsetOption);
        string? expression = args.Get(ExpressionOption.Name)?.Trim();
        var (begin, end) = TimeArgument.Range(args, BeginOption, EndOption);
        bool printBody = Groups.UpdateSubGroupCommand.Bool(args, PrintBodyOption, true);
        bool json = args.Has(JsonOption.Name);
        var scanned = new List<(QueueScan Scan, List<MessageExt> Messages)>();
        foreach (var queue in await admin.GetReadableQueuesAsync(topic, context.Stopping).ConfigureAwait(false))
        {
            var scan = await QueueScan.PlanAsync(admin, queue, begin, end, context.Stopping).ConfigureAwait(false);
            var messages = new List<MessageExt>();
            if (!json) await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"minOffset={scan.From}, maxOffset={scan.To}, {MessageOutput.Describe(queue)}")).ConfigureAwait(false);
            await scan.RunAsync(admin, expression, async (status, next, batch) =>
            {
                messages.AddRange(batch);
                if (json) return;
                foreach (var message in batch) await context.Out.WriteLineAsync(MessageOutput.OneLine(message, charset, printBody)).ConfigureAwait(false);
                if (status != PullStatus.Found)
                {
                    string what = status == PullStatus.NoMatchedMessage ? "no matched msg" : "print msg finished";
                    await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                        $"{MessageOutput.Describe(queue)} {what}. status={MessageOutput.StatusName(status)}, offset={next}")).ConfigureAwait(false);
                }
            }, context.Stopping).ConfigureAwait(false);
            if (!json) await context.Out.WriteLineAsync(Separator).ConfigureAwait(false);
            scanned.Add((scan, messages));
        }
        if (json) await context.Out.WriteAsync(JsonOutput.Write(writer => WriteJson(writer, topic, scanned, printBody ? charset : null))).ConfigureAwait(false);
        return ExitCodes.Success;
    }

    private static void WriteJson(Utf8JsonWriter writer, string topic, List<(QueueScan Scan, List<MessageExt> Messages)> scanned, Encoding? bodyCharset)
    {
        writer.WriteStartObject();
        writer.WriteString("topic", topic);
        writer.WriteStartArray("queues");
        foreach (var (scan, messages) in scanned)
        {
            writer.WriteStartObject();
            writer.WriteString("brokerName", scan.Queue.BrokerName);
            writer.WriteNumber("queueId", scan.Queue.QueueId);
            writer.WriteNumber("minOffset", scan.From);
            writer.WriteNumber("maxOffset", scan.To);
            writer.WriteStartArray("messages");
            foreach (var message in messages) MessageOutput.WriteJson(writer, message, bodyCharset);
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
