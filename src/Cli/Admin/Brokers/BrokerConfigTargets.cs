using RaftMq.Cli.CommandLine;
using RaftMq.Client.Admin;

namespace RaftMq.Cli.Admin.Brokers;

/// <summary>The nodes getBrokerConfig / updateBrokerConfig talk to: the one given with <c>-b</c>, or every node of the
/// cluster given with <c>-c</c> (broker settings are per node), each with mqadmin's banner.</summary>
internal static class BrokerConfigTargets
{
    public sealed record Node(string Address, string Banner);

    public static async Task<IReadOnlyList<Node>> NodesAsync(MQAdminClient admin, ParsedArgs args, BrokerTargets targets, CancellationToken cancellationToken)
    {
        if (args.Get(targets.Broker.Name) is { } address) return [new Node(address.Trim(), address.Trim())];
        var nodes = await admin.GetClusterNodesAsync(args.Require(targets.Cluster.Name).Trim(), cancellationToken).ConfigureAwait(false);
        var result = new List<Node>();
        foreach (var group in nodes.GroupBy(node => node.BrokerName))
        {
            string? master = group.FirstOrDefault(node => node.BrokerId == 0)?.Address;
            foreach (var node in group)
            {
                result.Add(new Node(node.Address, node.BrokerId == 0 ? $"Master: {node.Address}" : $"My Master: {master ?? "none"}=====Slave: {node.Address}"));
            }
        }
        return result;
    }
}
