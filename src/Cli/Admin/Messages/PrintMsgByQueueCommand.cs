using System.Globalization;
using System.Text;
using RaftMq.Cli.CommandLine;
using RaftMq.Cli.Output;
using RaftMq.Client;
using RaftMq.Client.Admin;

namespace RaftMq.Cli.Admin.Messages;

/// <summary><c>raftmq admin printMsgByQueue -t TOPIC -a BROKER -i QUEUE [-b BEGIN] [-e END] [-p] [-d] [-f]</c>: mqadmin's
/// printMsgByQueue, the messages of one queue in a store-time range: printed with <c>-p true</c>, counted per tag with
/// <c>-f true</c> (<c>Tag: T Count: N</c>, most frequent first).</summary>
public sealed class PrintMsgByQueueCommand : AdminCommand
{
    private static readonly OptionSpec TopicOption = MessageOptions.Topic;
    private static readonly OptionSpec BrokerOption = OptionSpec.Value("brokerName", "a", "GROUP", "broker group (brokerName) of the queue (required)");
    private static readonly OptionSpec QueueOption = OptionSpec.Value("queueId", "i", "ID", "queue id (required)");
    private static readonly OptionSpec CharsetOption = MessageOptions.Charset;
    private static readonly OptionSpec ExpressionOption = MessageOptions.Expression;
    private static readonly OptionSpec BeginOption = MessageOptions.Begin;
    private static readonly OptionSpec EndOption = MessageOptions.End;
    private static readonly OptionSpec PrintMsgOption = OptionSpec.Value("printMsg", "p", "true|false", "print the messages (default false)");
    private static readonly OptionSpec PrintBodyOption = OptionSpec.Value("printBody", "d", "true|false", "print the bodies too (default false)");
    private static readonly OptionSpec CalculateOption = OptionSpec.Value("calculate", "f", "true|false", "count the messages per tag (default false)");

    public override string Name => "printMsgByQueue";

    public override string Summary => "print or count by tag the messages of one queue within a time range";

    protected override IReadOnlyList<OptionSpec> AdminOptions =>
        [TopicOption, BrokerOption, QueueOption, CharsetOption, ExpressionOption, BeginOption, EndOption, PrintMsgOption, PrintBodyOption, CalculateOption, JsonOption];

    protected override void Validate(ParsedArgs args)
    {
        args.Require(TopicOption.Name);
        args.Require(BrokerOption.Name);
        args.Require(QueueOption.Name);
        args.GetInt(QueueOption.Name, 0, min: 0);
        MessageOutput.Charset(args, CharsetOption);
        TimeArgument.Range(args, BeginOption, EndOption);
        foreach (var option in new[] { PrintMsgOption, PrintBodyOption, CalculateOption }) Groups.UpdateSubGroupCommand.Bool(args, option, false);
    }

    protected override async Task<int> RunAsync(MQAdminClient admin, ParsedArgs args, CommandContext context)
    {
        var queue = await admin.FindReadableQueueAsync(args.Require(TopicOption.Name).Trim(), args.Require(BrokerOption.Name).Trim(),
            args.GetInt(QueueOption.Name, 0, min: 0), context.Stopping).ConfigureAwait(false);
        var charset = MessageOutput.Charset(args, CharsetOption);
        var (begin, end) = TimeArgument.Range(args, BeginOption, EndOption);
        bool printMsg = Groups.UpdateSubGroupCommand.Bool(args, PrintMsgOption, false);
        bool printBody = Groups.UpdateSubGroupCommand.Bool(args, PrintBodyOption, false);
        bool calculate = Groups.UpdateSubGroupCommand.Bool(args, CalculateOption, false);
        bool json = args.Has(JsonOption.Name);
        var scan = await QueueScan.PlanAsync(admin, queue, begin, end, context.Stopping).ConfigureAwait(false);
        var messages = new List<MessageExt>();
        var tagCounts = new Dictionary<string, long>(StringComparer.Ordinal);
        await scan.RunAsync(admin, args.Get(ExpressionOption.Name)?.Trim(), async (_, _, batch) =>
        {
            foreach (var message in batch)
            {
                if (calculate && !string.IsNullOrWhiteSpace(message.Tags)) tagCounts[message.Tags] = tagCounts.GetValueOrDefault(message.Tags) + 1;
                if (!printMsg) continue;
                if (json) messages.Add(message);
                else await context.Out.WriteLineAsync(MessageOutput.OneLine(message, charset, printBody)).ConfigureAwait(false);
            }
        }, context.Stopping).ConfigureAwait(false);
        var counts = tagCounts.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).ToList();
        if (json)
        {
            await context.Out.WriteAsync(JsonOutput.Write(writer =>
            {
                writer.WriteStartObject();
                writer.WriteString("topic", queue.Topic);
                writer.WriteString("brokerName", queue.BrokerName);
                writer.WriteNumber("queueId", queue.QueueId);
                writer.WriteNumber("minOffset", scan.From);
                writer.WriteNumber("maxOffset", scan.To);
                writer.WriteStartArray("messages");
                foreach (var message in messages) MessageOutput.WriteJson(writer, message, printBody ? charset : null);
                writer.WriteEndArray();
                writer.WriteStartObject("tagCounts");
                foreach (var (tag, count) in counts) writer.WriteNumber(tag, count);
                writer.WriteEndObject();
                writer.WriteEndObject();
            })).ConfigureAwait(false);
            return ExitCodes.Success;
        }
        var text = new StringBuilder();
        foreach (var (tag, count) in counts) text.Append(CultureInfo.InvariantCulture, $"Tag: {tag,-30} Count: {count}").AppendLine();
        await context.Out.WriteAsync(text.ToString()).ConfigureAwait(false);
        return ExitCodes.Success;
    }
}
