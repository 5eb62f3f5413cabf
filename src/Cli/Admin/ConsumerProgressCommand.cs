using RaftMq.Cli.CommandLine;
using RaftMq.Cli.Output;
using RaftMq.Client.Admin;

namespace RaftMq.Cli.Admin;

/// <summary><c>raftmq admin consumerProgress -g GROUP -t TOPIC</c>: committed offset and lag per queue.</summary>
public sealed class ConsumerProgressCommand : AdminCommand
{
    private static readonly OptionSpec GroupOption = OptionSpec.Value("group", "g", "GROUP", "consumer group (required)");
    private static readonly OptionSpec TopicOption = OptionSpec.Value("topic", "t", "TOPIC", "topic the group consumes (required)");

    public override string Name => "consumerProgress";

    public override string Summary => "a consumer group's committed offsets and lag (Diff) per queue";

    protected override IReadOnlyList<OptionSpec> AdminOptions => [GroupOption, TopicOption];

    protected override void Validate(ParsedArgs args)
    {
        args.Require(GroupOption.Name);
        args.Require(TopicOption.Name);
    }

    protected override async Task<int> RunAsync(MQAdminClient admin, ParsedArgs args, CommandContext context)
    {
        var progress = await admin.GetConsumerProgressAsync(args.Require(GroupOption.Name), args.Require(TopicOption.Name), context.Stopping)
            .ConfigureAwait(false);
        var table = new TextTable("Topic", "Broker Name", "QID", "Broker Offset", "Consumer Offset", "Diff")
            .AlignRight("QID", "Broker Offset", "Consumer Offset", "Diff");
        foreach (var queue in progress.Queues.OrderBy(q => q.Queue.BrokerName, StringComparer.Ordinal).ThenBy(q => q.Queue.QueueId))
            table.AddRow(queue.Queue.Topic, queue.Queue.BrokerName, queue.Queue.QueueId, queue.BrokerOffset, queue.ConsumerOffset, queue.Lag);
        await context.Out.WriteAsync(table.ToString()).ConfigureAwait(false);
        await context.Out.WriteLineAsync($"Diff Total: {progress.TotalLag}").ConfigureAwait(false);
        return ExitCodes.Success;
    }
}
