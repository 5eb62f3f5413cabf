using RaftMq.Cli.CommandLine;
using RaftMq.Cli.Output;
using RaftMq.Client.Admin;

namespace RaftMq.Cli.Admin.Topics;

/// <summary><c>raftmq admin deleteTopic -c CLUSTER -t TOPIC</c>: deletes the topic on the master of every group of the
/// cluster (code 215, through each group's log, which drops the topic's queues and consumer offsets too) and then from every name server's routes (216).</summary>
public sealed class DeleteTopicCommand : AdminCommand
{
    private static readonly OptionSpec ClusterOption = OptionSpec.Value("clusterName", "c", "CLUSTER", "cluster to delete the topic from (required)");
    private static readonly OptionSpec TopicOption = OptionSpec.Value("topic", "t", "TOPIC", "topic name (required)");

    public override string Name => "deleteTopic";

    public override string Summary => "delete a topic from a cluster's brokers and the name servers";

    protected override IReadOnlyList<OptionSpec> AdminOptions => [ClusterOption, TopicOption, JsonOption];

    protected override string Notes => "the topic's queues and consumer offsets go with it (a re-created topic starts at offset 0); messages stay in the log until retention removes them";

    protected override void Validate(ParsedArgs args)
    {
        args.Require(ClusterOption.Name);
        args.Require(TopicOption.Name);
    }

    protected override async Task<int> RunAsync(MQAdminClient admin, ParsedArgs args, CommandContext context)
    {
        string cluster = args.Require(ClusterOption.Name);
        string topic = args.Require(TopicOption.Name);
        await admin.DeleteTopicAsync(cluster, topic, context.Stopping).ConfigureAwait(false);
        string text = args.Has(JsonOption.Name)
            ? JsonOutput.StringMap([new("topic", topic), new("clusterName", cluster), new("result", "deleted")])
            : $"delete topic [{topic}] from cluster [{cluster}] success.{Environment.NewLine}";
        await context.Out.WriteAsync(text).ConfigureAwait(false);
        return ExitCodes.Success;
    }
}
