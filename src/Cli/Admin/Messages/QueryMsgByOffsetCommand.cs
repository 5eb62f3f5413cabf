using System.Globalization;
using System.Text;
using RaftMq.Cli.CommandLine;
using RaftMq.Cli.Output;
using RaftMq.Client.Admin;
using RaftMq.Client.Consumer;

namespace RaftMq.Cli.Admin.Messages;

/// <summary><c>raftmq admin queryMsgByOffset -t TOPIC -b BROKER -i QUEUE -o OFFSET</c>: mqadmin's queryMsgByOffset, the
/// message at a queue offset, pulled from the group's master and printed as queryMsgById prints it.</summary>
public sealed class QueryMsgByOffsetCommand : AdminCommand
{
    private static readonly OptionSpec TopicOption = MessageOptions.Topic;
    private static readonly OptionSpec BrokerOption = OptionSpec.Value("brokerName", "b", "GROUP", "broker group (brokerName) of the queue (required)");
    private static readonly OptionSpec QueueOption = OptionSpec.Value("queueId", "i", "ID", "queue id (required)");
    private static readonly OptionSpec OffsetOption = OptionSpec.Value("offset", "o", "OFFSET", "queue offset (required)");

    public override string Name => "queryMsgByOffset";

    public override string Summary => "print the message at an offset of a queue";

    protected override IReadOnlyList<OptionSpec> AdminOptions => [TopicOption, BrokerOption, QueueOption, OffsetOption, JsonOption];

    protected override string Notes => "exit 1 when the queue holds no message at that offset (the error names the queue's offsets)";

    protected override void Validate(ParsedArgs args)
    {
        args.Require(TopicOption.Name);
        args.Require(BrokerOption.Name);
        args.Require(QueueOption.Name);
        args.Require(OffsetOption.Name);
        args.GetInt(QueueOption.Name, 0, min: 0);
        args.GetLong(OffsetOption.Name, 0, min: 0);
    }

    protected override async Task<int> RunAsync(MQAdminClient admin, ParsedArgs args, CommandContext context)
    {
        var queue = await admin.FindReadableQueueAsync(args.Require(TopicOption.Name).Trim(), args.Require(BrokerOption.Name).Trim(),
            args.GetInt(QueueOption.Name, 0, min: 0), context.Stopping).ConfigureAwait(false);
        long offset = args.GetLong(OffsetOption.Name, 0, min: 0);
        var pulled = await admin.PullAsync(queue, tagExpression: null, offset, maxNums: 1, cancellationToken: context.Stopping).ConfigureAwait(false);
        var message = pulled.Messages.FirstOrDefault(m => m.QueueOffset == offset);
        if (pulled.Status != PullStatus.Found || message is null)
        {
            await context.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"no message at offset {offset} of {MessageOutput.Describe(queue)} ({MessageOutput.StatusName(pulled.Status)}; min offset {pulled.MinOffset}, max offset {pulled.MaxOffset})"))
                .ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        string path = MessageOutput.WriteBodyFile(message);
        string text = args.Has(JsonOption.Name)
            ? JsonOutput.Write(writer => MessageOutput.WriteJson(writer, message, Encoding.UTF8, path))
            : MessageOutput.Detail(message, path, bodyCharset: null);
        await context.Out.WriteAsync(text).ConfigureAwait(false);
        return ExitCodes.Success;
    }
}
