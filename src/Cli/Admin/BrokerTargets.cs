using RaftMq.Cli.CommandLine;
using RaftMq.Client.Admin;

namespace RaftMq.Cli.Admin;

/// <summary>mqadmin's <c>-b ADDR | -c CLUSTER</c> pair: one broker, or the master of every broker group of a cluster.</summary>
internal sealed class BrokerTargets(string verb, string action)
{
    public OptionSpec Broker { get; } = OptionSpec.Value("brokerAddr", "b", "ADDR", $"{action} on this broker (its group's master) host:port");

    public OptionSpec Cluster { get; } = OptionSpec.Value("clusterName", "c", "CLUSTER", $"{action} on the master of every group of this cluster");

    public void Validate(ParsedArgs args)
    {
        if (args.Has(Broker.Name) == args.Has(Cluster.Name))
            throw new UsageException($"{verb} needs exactly one of -b ADDR (one broker) or -c CLUSTER (every master of the cluster)");
    }

    /// <summary>The addresses to send to, sorted.</summary>
    public async Task<IReadOnlyList<string>> ResolveAsync(MQAdminClient admin, ParsedArgs args, CancellationToken cancellationToken)
    {
        if (args.Get(Broker.Name) is { } address) return [address];
        var masters = await admin.GetClusterMasterAddressesAsync(args.Require(Cluster.Name), cancellationToken).ConfigureAwait(false);
        return [.. masters.Values.Order(StringComparer.Ordinal)];
    }
}
