using System.Globalization;
using System.Text;
using RaftMq.Cli.CommandLine;
using RaftMq.Cli.Output;
using RaftMq.Client;
using RaftMq.Client.Admin;
using RaftMq.Client.Consumer;
using RaftMq.Protocol.Bodies;

namespace RaftMq.Cli.Admin.Messages;

/// <summary>
/// <c>raftmq admin consumeMessage -t TOPIC [-b BROKER [-i QUEUE [-o OFFSET]]] [-g GROUP] [-s BEGIN] [-e END] [-c COUNT]</c>:
/// mqadmin's consumeMessage, reads (without committing anything) at most COUNT messages, oldest first, of the topic or of
/// one queue, and prints each with its body.
/// </summary>
public sealed class ConsumeMessageCommand : AdminCommand
{
    private const long DefaultCount = 128;
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(2);
    private static readonly OptionSpec TopicOption = MessageOptions.Topic;
    private static readonly OptionSpec BrokerOption = OptionSpec.Value("brokerName", "b", "GROUP", "read only queues of this broker group (needed by -i)");
    private static readonly OptionSpec QueueOption = OptionSpec.Value("queueId", "i", "ID", "read only this queue (needs -b)");
    private static readonly OptionSpec OffsetOption = OptionSpec.Value("offset", "o", "OFFSET", "start at this queue offset (needs -i)");
    private static readonly OptionSpec GroupOption = OptionSpec.Value("consumerGroup", "g", "GROUP",
        $"consumer group the pulls name (its subscription-group settings apply; default {MQAdminClient.ToolsConsumerGroup})");
    private static readonly OptionSpec BeginOption = MessageOptions.Begin with { Short = "s" };
    private static readonly OptionSpec EndOption = MessageOptions.End;
    private static readonly OptionSpec CountOption = OptionSpec.Value("MessageNumber", "c", "N", $"how many messages at most (default {DefaultCount})");

    public override string Name => "consumeMessage";

    public override string Summary => "read and print messages of a topic or of one queue, oldest first, without committing an offset";

    protected override IReadOnlyList<OptionSpec> AdminOptions =>
        [TopicOption, BrokerOption, QueueOption, OffsetOption, GroupOption, BeginOption, EndOption, CountOption, JsonOption];

    protected override string Notes => "no offset is committed and no consumer joins the group: consumeMessage only reads";

    protected override void Validate(ParsedArgs args)
    {
        args.Require(TopicOption.Name);
        if (args.Has(QueueOption.Name) && !args.Has(BrokerOption.Name)) throw new UsageException($"option --{QueueOption.Name} needs --{BrokerOption.Name}");
        if (args.Has(OffsetOption.Name) && !args.Has(QueueOption.Name)) throw new UsageException($"option --{OffsetOption.Name} needs --{QueueOption.Name}");
        args.GetInt(QueueOption.Name, 0, min: 0);
        args.GetLong(OffsetOption.Name, 0, min: 0);
        args.GetLong(CountOption.Name, DefaultCount, min: 1);
        TimeArgument.Range(args, BeginOption, EndOption);
    }

    protected override async Task<int> RunAsync(MQAdminClient admin, ParsedArgs args, CommandContext context)
    {
        string topic = args.Require(TopicOption.Name).Trim();
        string group = args.Get(GroupOption.Name)?.Trim() ?? MQAdminClient.ToolsConsumerGroup;
        long left = args.GetLong(CountOption.Name, DefaultCount, min: 1);
        var (begin, end) = TimeArgument.Range(args, BeginOption, EndOption);
        long? startOffset = args.Has(OffsetOption.Name) ? args.GetLong(OffsetOption.Name, 0, min: 0) : null;
        bool json = args.Has(JsonOption.Name);
        var consumed = new List<MessageExt>();
        var queues = await QueuesAsync(admin, topic, args, context.Stopping).ConfigureAwait(false);
        // Messages printed on the terminal show the progress themselves; a live line there would cut into them.
        bool messagesOnTerminal = !json && ReferenceEquals(context.Out, Console.Out) && !Console.IsOutputRedirected;
        var progress = messagesOnTerminal ? null : ProgressLine.ForError(context.Error, ProgressInterval);
        try
        {
            for (int done = 0; done < queues.Count && left > 0; done++)
            {
                var queue = queues[done];
                var planned = await QueueScan.PlanAsync(admin, queue, begin, end, context.Stopping).ConfigureAwait(false);
                long from = Math.Max(planned.From, startOffset ?? planned.From);
                if (startOffset is { } offset && offset >= planned.To)
                {
                    await context.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                        $"{MessageOutput.Describe(queue)} no matched msg, offset={offset} (messages end before offset {planned.To})")).ConfigureAwait(false);
                    return ExitCodes.Failure;
                }
                long to = planned.To;
                if (to - from > left)
                {
                    to = from + left;
                    if (!json) await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"The older {left} message of the {queue.QueueId} queue will be provided")).ConfigureAwait(false);
                }
                left -= Math.Max(0, to - from);
                var scan = new QueueScan { Queue = queue, From = from, To = to, ConsumerGroup = group };
                await scan.RunAsync(admin, tagExpression: null, async (status, next, batch) =>
                {
                    consumed.AddRange(batch);
                    if (json) return;
                    if (batch.Count > 0) await context.Out.WriteLineAsync("Consume ok").ConfigureAwait(false);
                    foreach (var message in batch) await context.Out.WriteLineAsync(MessageOutput.OneLine(message, Encoding.UTF8, printBody: true)).ConfigureAwait(false);
                    if (status is PullStatus.NoNewMessage or PullStatus.OffsetIllegal)
                    {
                        await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                            $"{MessageOutput.Describe(queue)} print msg finished. status={MessageOutput.StatusName(status)}, offset={next}")).ConfigureAwait(false);
                    }
                }, context.Stopping).ConfigureAwait(false);
                progress?.Report(string.Create(CultureInfo.InvariantCulture, $"consumeMessage: {done + 1}/{queues.Count} queues read, {consumed.Count} messages"));
            }
        }
        finally
        {
            progress?.Complete();
        }
        if (json)
        {
            await context.Out.WriteAsync(JsonOutput.Write(writer =>
            {
                writer.WriteStartArray();
                foreach (var message in consumed) MessageOutput.WriteJson(writer, message, Encoding.UTF8);
                writer.WriteEndArray();
            })).ConfigureAwait(false);
        }
        return ExitCodes.Success;
    }

    /// <summary>Every readable queue of the topic, those of one broker group, or one queue.</summary>
    private static async Task<IReadOnlyList<MessageQueue>> QueuesAsync(MQAdminClient admin, string topic, ParsedArgs args, CancellationToken cancellationToken)
    {
        string? broker = args.Get(BrokerOption.Name)?.Trim();
        if (broker is not null && args.Has(QueueOption.Name))
        {
            return [await admin.FindReadableQueueAsync(topic, broker, args.GetInt(QueueOption.Name, 0, min: 0), cancellationToken).ConfigureAwait(false)];
        }
        var queues = await admin.GetReadableQueuesAsync(topic, cancellationToken).ConfigureAwait(false);
        if (broker is null) return queues;
        var ofBroker = queues.Where(q => q.BrokerName == broker).ToList();
        return ofBroker.Count > 0 ? ofBroker : throw new MQClientException($"Broker {broker} holds no readable queue of topic {topic}.");
    }
}
