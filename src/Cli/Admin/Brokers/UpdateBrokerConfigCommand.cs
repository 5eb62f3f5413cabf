using RaftMq.Cli.CommandLine;
using RaftMq.Cli.Output;
using RaftMq.Client.Admin;

namespace RaftMq.Cli.Admin.Brokers;

/// <summary><c>raftmq admin updateBrokerConfig (-b ADDR | -c CLUSTER) -k KEY -v VALUE</c>: changes a run-time setting (code 25)
/// of one node or of every node of a cluster; keys that cannot change while the node runs are refused with the reason.</summary>
public sealed class UpdateBrokerConfigCommand : AdminCommand
{
    private static readonly BrokerTargets Targets = new("updateBrokerConfig", "change the setting");
    private static readonly OptionSpec KeyOption = OptionSpec.Value("key", "k", "KEY", "broker.conf key (required); run-time keys: longPollingMaxSuspendMs, longPollingMaxParked");
    private static readonly OptionSpec ValueOption = OptionSpec.Value("value", "v", "VALUE", "its new value (required)");

    public override string Name => "updateBrokerConfig";

    public override string Summary => "change a run-time setting of a broker node (every node's with -c)";

    protected override IReadOnlyList<OptionSpec> AdminOptions => [Targets.Broker, Targets.Cluster, KeyOption, ValueOption, JsonOption];

    protected override string Notes => "the change lasts until the node restarts (put it in broker.conf to keep it); -c changes every node of the cluster";

    protected override void Validate(ParsedArgs args)
    {
        Targets.Validate(args);
        args.Require(KeyOption.Name);
        args.Require(ValueOption.Name);
    }

    protected override async Task<int> RunAsync(MQAdminClient admin, ParsedArgs args, CommandContext context)
    {
        string key = args.Require(KeyOption.Name).Trim();
        string value = args.Require(ValueOption.Name).Trim();
        var updated = new List<string>();
        foreach (var node in await BrokerConfigTargets.NodesAsync(admin, args, Targets, context.Stopping).ConfigureAwait(false))
        {
            await admin.UpdateBrokerConfigAsync(node.Address, key, value, context.Stopping).ConfigureAwait(false);
            updated.Add(node.Address);
        }
        string text = args.Has(JsonOption.Name)
            ? JsonOutput.Write(writer =>
            {
                writer.WriteStartObject();
                writer.WriteString("key", key);
                writer.WriteString("value", value);
                writer.WriteStartArray("brokers");
                foreach (string address in updated) writer.WriteStringValue(address);
                writer.WriteEndArray();
                writer.WriteEndObject();
            })
            : string.Concat(updated.Select(address => $"update broker config success, {address}{Environment.NewLine}"));
        await context.Out.WriteAsync(text).ConfigureAwait(false);
        return ExitCodes.Success;
    }
}
