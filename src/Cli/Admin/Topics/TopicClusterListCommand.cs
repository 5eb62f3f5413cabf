using RaftMq.Cli.CommandLine;
using RaftMq.Cli.Output;
using RaftMq.Client.Admin;

namespace RaftMq.Cli.Admin.Topics;

/// <summary><c>raftmq admin topicClusterList -t TOPIC</c>: the clusters holding queues of the topic, one per line.</summary>
public sealed class TopicClusterListCommand : AdminCommand
{
    private static readonly OptionSpec TopicOption = OptionSpec.Value("topic", "t", "TOPIC", "topic name (required)");

    public override string Name => "topicClusterList";

    public override string Summary => "list the clusters a topic has queues in";

    protected override IReadOnlyList<OptionSpec> AdminOptions => [TopicOption, JsonOption];

    protected override void Validate(ParsedArgs args) => args.Require(TopicOption.Name);

    protected override async Task<int> RunAsync(MQAdminClient admin, ParsedArgs args, CommandContext context)
    {
        var clusters = await admin.GetTopicClustersAsync(args.Require(TopicOption.Name), context.Stopping).ConfigureAwait(false);
        string text = args.Has(JsonOption.Name)
            ? JsonOutput.StringArray(clusters)
            : string.Concat(clusters.Select(cluster => cluster + Environment.NewLine));
        await context.Out.WriteAsync(text).ConfigureAwait(false);
        return ExitCodes.Success;
    }
}
