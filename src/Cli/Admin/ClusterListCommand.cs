using RaftMq.Cli.CommandLine;
using RaftMq.Client.Admin;

namespace RaftMq.Cli.Admin;

/// <summary><c>raftmq admin clusterList</c>: every broker node the name servers know, masters as BID 0.</summary>
public sealed class ClusterListCommand : AdminCommand
{
    public override string Name => "clusterList";

    public override string Summary => "list broker nodes per cluster and group (BID 0 = master = Raft leader)";

    protected override IReadOnlyList<OptionSpec> AdminOptions => [];

    protected override async Task<int> RunAsync(MQAdminClient admin, ParsedArgs args, CommandContext context)
    {
        var nodes = await admin.GetClusterInfoAsync(context.Stopping).ConfigureAwait(false);
        await context.Out.WriteAsync(ClusterListTable.Render(nodes).ToString()).ConfigureAwait(false);
        return ExitCodes.Success;
    }
}
