using System.Globalization;
using RaftMq.Cli.CommandLine;
using RaftMq.Cli.Output;
using RaftMq.Client.Admin;

namespace RaftMq.Cli.Admin.Brokers;

/// <summary>
/// <c>raftmq admin brokerStatus -b ADDR | -c CLUSTER</c>: a broker node's runtime statistics (GET_BROKER_RUNTIME_INFO)
/// as <c>key : value</c> lines like mqadmin, with RaftMq's Raft keys (role, term, commit/applied/last index, apply
/// lag, and on the leader every follower's match index and lag). With <c>-c</c>, every node of the cluster.
/// </summary>
public sealed class BrokerStatusCommand : AdminCommand
{
    private static readonly OptionSpec BrokerOption = OptionSpec.Value("brokerAddr", "b", "ADDR", "broker node address host:port");
    private static readonly OptionSpec ClusterOption = OptionSpec.Value("clusterName", "c", "CLUSTER", "every node of this cluster instead");

    public override string Name => "brokerStatus";

    public override string Summary => "runtime statistics of a broker node, including its Raft role, term and indexes";

    protected override IReadOnlyList<OptionSpec> AdminOptions => [BrokerOption, ClusterOption, JsonOption];

    protected override string Notes => "one of -b or -c is required; raftFollower.<id>.matchLag appears on the group leader";

    protected override void Validate(ParsedArgs args)
    {
        if (args.Has(BrokerOption.Name) == args.Has(ClusterOption.Name))
            throw new UsageException("brokerStatus needs exactly one of -b ADDR (one node) or -c CLUSTER (every node)");
    }

    protected override async Task<int> RunAsync(MQAdminClient admin, ParsedArgs args, CommandContext context)
    {
        var addresses = args.Get(BrokerOption.Name) is { } address
            ? [address]
            : await admin.GetClusterBrokerAddressesAsync(args.Require(ClusterOption.Name), context.Stopping).ConfigureAwait(false);
        var statuses = new List<(string Address, IReadOnlyDictionary<string, string> Table)>();
        foreach (string node in addresses)
            statuses.Add((node, await admin.GetBrokerRuntimeInfoAsync(node, context.Stopping).ConfigureAwait(false)));
        string text = args.Has(JsonOption.Name) ? Json(statuses) : Text(statuses, prefixAddress: addresses.Count > 1);
        await context.Out.WriteAsync(text).ConfigureAwait(false);
        return ExitCodes.Success;
    }

    private static string Text(List<(string Address, IReadOnlyDictionary<string, string> Table)> statuses, bool prefixAddress)
    {
        var text = new System.Text.StringBuilder();
        foreach (var (address, table) in statuses)
        {
            foreach (var (key, value) in table.OrderBy(entry => entry.Key, StringComparer.Ordinal))
            {
                if (prefixAddress) text.Append(CultureInfo.InvariantCulture, $"{address,-24} ");
                text.Append(CultureInfo.InvariantCulture, $"{key,-32}: {value}").AppendLine();
            }
        }
        return text.ToString();
    }

    private static string Json(List<(string Address, IReadOnlyDictionary<string, string> Table)> statuses) => JsonOutput.Write(writer =>
    {
        writer.WriteStartObject();
        foreach (var (address, table) in statuses)
        {
            writer.WriteStartObject(address);
            foreach (var (key, value) in table.OrderBy(entry => entry.Key, StringComparer.Ordinal)) writer.WriteString(key, value);
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
    });
}
