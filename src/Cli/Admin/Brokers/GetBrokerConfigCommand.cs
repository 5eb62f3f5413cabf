using System.Text;
using RaftMq.Cli.CommandLine;
using RaftMq.Cli.Output;
using RaftMq.Client.Admin;

namespace RaftMq.Cli.Admin.Brokers;

/// <summary><c>raftmq admin getBrokerConfig (-b ADDR | -c CLUSTER)</c>: a node's settings in force (code 26), or every node's
/// of a cluster, as mqadmin prints them.</summary>
public sealed class GetBrokerConfigCommand : AdminCommand
{
    private static readonly BrokerTargets Targets = new("getBrokerConfig", "read the settings");

    public override string Name => "getBrokerConfig";

    public override string Summary => "a broker node's settings in force (every node's with -c)";

    protected override IReadOnlyList<OptionSpec> AdminOptions => [Targets.Broker, Targets.Cluster, JsonOption];

    protected override string Notes => "-b asks that node only; -c asks every node of every group of the cluster (masters and followers)";

    protected override void Validate(ParsedArgs args) => Targets.Validate(args);

    protected override async Task<int> RunAsync(MQAdminClient admin, ParsedArgs args, CommandContext context)
    {
        var nodes = await BrokerConfigTargets.NodesAsync(admin, args, Targets, context.Stopping).ConfigureAwait(false);
        var configs = new List<(BrokerConfigTargets.Node Node, IReadOnlyList<KeyValuePair<string, string>> Settings)>();
        foreach (var node in nodes) configs.Add((node, await admin.GetBrokerConfigAsync(node.Address, context.Stopping).ConfigureAwait(false)));
        string text = args.Has(JsonOption.Name)
            ? JsonOutput.Write(writer =>
            {
                writer.WriteStartObject();
                foreach (var (node, settings) in configs)
                {
                    writer.WriteStartObject(node.Address);
                    foreach (var (key, value) in settings) writer.WriteString(key, value);
                    writer.WriteEndObject();
                }
                writer.WriteEndObject();
            })
            : Text(configs);
        await context.Out.WriteAsync(text).ConfigureAwait(false);
        return ExitCodes.Success;
    }

    private static string Text(List<(BrokerConfigTargets.Node Node, IReadOnlyList<KeyValuePair<string, string>> Settings)> configs)
    {
        var text = new StringBuilder();
        foreach (var (node, settings) in configs)
        {
            text.Append("============").Append(node.Banner).Append("============").AppendLine();
            foreach (var (key, value) in settings) text.Append(key.PadRight(50)).Append("=  ").Append(value).AppendLine();
            text.AppendLine();
        }
        return text.ToString();
    }
}
