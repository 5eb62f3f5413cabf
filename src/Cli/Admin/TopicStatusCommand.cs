using RaftMq.Cli.CommandLine;
using RaftMq.Cli.Output;
using RaftMq.Client.Admin;

namespace RaftMq.Cli.Admin;

/// <summary><c>raftmq admin topicStatus -t TOPIC</c>: min and max offset of every queue.</summary>
public sealed class TopicStatusCommand : AdminCommand
{
    private static readonly OptionSpec TopicOption = OptionSpec.Value("topic", "t", "TOPIC", "topic name (required)");

    public override string Name => "topicStatus";

    public override string Summary => "min/max offset of every queue of a topic";

    protected override IReadOnlyList<OptionSpec> AdminOptions => [TopicOption];

    protected override void Validate(ParsedArgs args) => args.Require(TopicOption.Name);

    protected override async Task<int> RunAsync(MQAdminClient admin, ParsedArgs args, CommandContext context)
    {
        var queues = await admin.GetTopicStatusAsync(args.Require(TopicOption.Name), context.Stopping).ConfigureAwait(false);
        var table = new TextTable("Broker Name", "QID", "Min Offset", "Max Offset").AlignRight("QID", "Min Offset", "Max Offset");
        foreach (var queue in queues.OrderBy(q => q.Queue.BrokerName, StringComparer.Ordinal).ThenBy(q => q.Queue.QueueId))
            table.AddRow(queue.Queue.BrokerName, queue.Queue.QueueId, queue.MinOffset, queue.MaxOffset);
        await context.Out.WriteAsync(table.ToString()).ConfigureAwait(false);
        return ExitCodes.Success;
    }
}
