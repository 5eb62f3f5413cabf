using RaftMq.Client.Admin;

namespace RaftMq.Cli.LocalCluster;

/// <summary>Which node of a local group the name server lists as master (brokerId 0, the Raft leader).</summary>
public static class ClusterLeader
{
    /// <summary>The master node of the layout's group if the name server has one that answers, else null.</summary>
    public static async Task<BrokerNodeLayout?> FindAsync(MQAdminClient admin, ClusterLayout layout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(admin);
        ArgumentNullException.ThrowIfNull(layout);
        var nodes = await admin.GetClusterInfoAsync(cancellationToken).ConfigureAwait(false);
        // A killed master can stay listed for a moment; one that does not answer runtime-info requests is not the leader.
        var master = nodes.FirstOrDefault(node => node.BrokerId == 0 && node.BrokerName == layout.BrokerName && node.RuntimeInfo is not null);
        return master is null ? null : layout.FindByAddress(master.Address);
    }
}
