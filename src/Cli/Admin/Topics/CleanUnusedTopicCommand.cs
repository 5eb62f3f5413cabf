using System.Globalization;
using System.Text;
using RaftMq.Cli.CommandLine;
using RaftMq.Cli.Output;
using RaftMq.Client.Admin;

namespace RaftMq.Cli.Admin.Topics;

/// <summary><c>raftmq admin cleanUnusedTopic -b ADDR | -c CLUSTER</c>: CLEAN_UNUSED_TOPIC (316) on one master or on the master
/// of every group of a cluster (every cluster without either): each group drops, through its log, the ConsumeQueues and
/// consumer offsets of topics no longer in its topic table. Prints what each group dropped, then mqadmin's <c>success</c>.</summary>
public sealed class CleanUnusedTopicCommand : AdminCommand
{
    private static readonly OptionSpec BrokerOption = OptionSpec.Value("brokerAddr", "b", "ADDR", "a group's master address");
    private static readonly OptionSpec ClusterOption = OptionSpec.Value("cluster", "c", "CLUSTER", "the master of every group of this cluster");

    public override string Name => "cleanUnusedTopic";

    public override string Summary => "drop the queues and offsets that deleted topics left on the brokers";

    protected override IReadOnlyList<OptionSpec> AdminOptions => [BrokerOption, ClusterOption, JsonOption];

    protected override string Notes => "without -b or -c every cluster; system topics (RMQ_SYS_*, SCHEDULE_TOPIC_XXXX, retry/DLQ topics of known groups) are kept";

    protected override void Validate(ParsedArgs args)
    {
        if (args.Has(BrokerOption.Name) && args.Has(ClusterOption.Name))
            throw new UsageException("cleanUnusedTopic takes -b ADDR (one master) or -c CLUSTER (every master of the cluster), not both");
    }

    protected override async Task<int> RunAsync(MQAdminClient admin, ParsedArgs args, CommandContext context)
    {
        IReadOnlyList<BrokerCleanResult> results;
        if (args.Get(BrokerOption.Name) is { } address)
        {
            var cleaned = await admin.CleanUnusedTopicAsync(address.Trim(), context.Stopping).ConfigureAwait(false);
            results = [new BrokerCleanResult("", "", address.Trim(), cleaned.Topics, cleaned.Queues)];
        }
        else
        {
            results = await admin.CleanUnusedTopicInClusterAsync(args.Get(ClusterOption.Name)?.Trim(), context.Stopping).ConfigureAwait(false);
        }
        await context.Out.WriteAsync(args.Has(JsonOption.Name) ? Json(results) : Text(results)).ConfigureAwait(false);
        return ExitCodes.Success;
    }

    private static string Text(IReadOnlyList<BrokerCleanResult> results)
    {
        var text = new StringBuilder();
        foreach (var result in results)
        {
            string who = result.BrokerName.Length == 0 ? result.Address : $"{result.BrokerName} {result.Address}";
            string topics = result.Topics.Count == 0 ? "" : $" [{string.Join(", ", result.Topics)}]";
            text.Append(CultureInfo.InvariantCulture, $"{who}: {result.Topics.Count} unused topic(s), {result.Queues} queue(s) dropped{topics}").AppendLine();
        }
        return text.AppendLine("success").ToString();
    }

    private static string Json(IReadOnlyList<BrokerCleanResult> results) => JsonOutput.Write(writer =>
    {
        writer.WriteStartArray();
        foreach (var result in results)
        {
            writer.WriteStartObject();
            if (result.ClusterName.Length > 0) writer.WriteString("clusterName", result.ClusterName);
            if (result.BrokerName.Length > 0) writer.WriteString("brokerName", result.BrokerName);
            writer.WriteString("brokerAddr", result.Address);
            writer.WriteStartArray("topics");
            foreach (string topic in result.Topics) writer.WriteStringValue(topic);
            writer.WriteEndArray();
            writer.WriteNumber("queues", result.Queues);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    });
}
