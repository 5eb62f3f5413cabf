using RaftMq.Cli.CommandLine;
using RaftMq.Cli.Output;
using RaftMq.Client.Admin;
using RaftMq.Protocol.Messages;

namespace RaftMq.Cli.Admin.Groups;

/// <summary>
/// <c>raftmq admin deleteSubGroup -g GROUP (-b ADDR | -c CLUSTER)</c>: removes a consumer group's subscription settings
/// (code 207) through each group's log; with <c>-c</c> also the group's <c>%RETRY%</c> and <c>%DLQ%</c> topics, as mqadmin.
/// </summary>
public sealed class DeleteSubGroupCommand : AdminCommand
{
    private static readonly BrokerTargets Targets = new("deleteSubGroup", "delete the subscription group");
    private static readonly OptionSpec GroupOption = OptionSpec.Value("groupName", "g", "GROUP", "consumer group name (required)");

    public override string Name => "deleteSubGroup";

    public override string Summary => "delete a consumer group's subscription settings";

    protected override IReadOnlyList<OptionSpec> AdminOptions => [Targets.Broker, Targets.Cluster, GroupOption, JsonOption];

    protected override string Notes => "the group falls back to the default settings; its committed offsets are kept";

    protected override void Validate(ParsedArgs args)
    {
        Targets.Validate(args);
        args.Require(GroupOption.Name);
    }

    protected override async Task<int> RunAsync(MQAdminClient admin, ParsedArgs args, CommandContext context)
    {
        string group = args.Require(GroupOption.Name).Trim();
        string? cluster = args.Get(Targets.Cluster.Name);
        var lines = new List<string>();
        foreach (string address in await Targets.ResolveAsync(admin, args, context.Stopping).ConfigureAwait(false))
        {
            await admin.DeleteSubscriptionGroupAsync(address, group, context.Stopping).ConfigureAwait(false);
            lines.Add(cluster is null
                ? $"delete subscription group [{group}] from broker [{address}] success."
                : $"delete subscription group [{group}] from broker [{address}] in cluster [{cluster}] success.");
        }
        var topicsDeleted = new List<string>();
        if (cluster is not null)
        {
            var topics = await admin.GetTopicListAsync(context.Stopping).ConfigureAwait(false);
            foreach (string topic in (string[])[SystemNames.RetryTopic(group), SystemNames.DlqTopic(group)])
            {
                if (!topics.Contains(topic)) continue;
                await admin.DeleteTopicAsync(cluster, topic, context.Stopping).ConfigureAwait(false);
                topicsDeleted.Add(topic);
                lines.Add($"delete topic [{topic}] from cluster [{cluster}] success.");
            }
        }
        string text = args.Has(JsonOption.Name)
            ? JsonOutput.Write(writer =>
            {
                writer.WriteStartObject();
                writer.WriteString("groupName", group);
                writer.WriteStartArray("messages");
                foreach (string line in lines) writer.WriteStringValue(line);
                writer.WriteEndArray();
                writer.WriteStartArray("topicsDeleted");
                foreach (string topic in topicsDeleted) writer.WriteStringValue(topic);
                writer.WriteEndArray();
                writer.WriteEndObject();
            })
            : string.Join(Environment.NewLine, lines) + Environment.NewLine;
        await context.Out.WriteAsync(text).ConfigureAwait(false);
        return ExitCodes.Success;
    }
}
