using RaftMq.Cli.Output;
using RaftMq.Client.Admin;

namespace RaftMq.Cli.Admin;

/// <summary>mqadmin-style clusterList: one row per broker node, the master (the group's Raft leader) as BID 0.</summary>
public static class ClusterListTable
{
    public static TextTable Render(IReadOnlyList<BrokerNodeInfo> nodes)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        var table = new TextTable("Cluster Name", "Broker Name", "BID", "Addr", "Raft Id", "Raft Role", "Term", "Version", "Put Total", "Get Total")
            .AlignRight("BID", "Term", "Put Total", "Get Total");
        foreach (var node in nodes.OrderBy(node => node.ClusterName, StringComparer.Ordinal)
                     .ThenBy(node => node.BrokerName, StringComparer.Ordinal).ThenBy(node => node.BrokerId))
        {
            var info = node.RuntimeInfo;
            string Get(string key) => info?.GetValueOrDefault(key) ?? "";
            table.AddRow(node.ClusterName, node.BrokerName, node.BrokerId, node.Address,
                Get("raftSelfId"), info is null ? "UNREACHABLE" : Get("raftRole"), Get("raftTerm"), Get("brokerVersionDesc"),
                Get("msgPutTotalSinceBoot"), Get("msgGetTotalSinceBoot"));
        }
        return table;
    }
}
