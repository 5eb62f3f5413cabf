using System.Diagnostics;
using RaftMq.Cli.CommandLine;
using RaftMq.Cli.LocalCluster;
using RaftMq.Cli.Processes;
using RaftMq.Client.Admin;

namespace RaftMq.Cli.Quickstart;

public sealed partial class QuickstartRun
{
    /// <summary>
    /// SIGKILLs the leader and measures failover as the time from the kill to the first acknowledged send started
    /// after it; then waits until the name server shows the new leader.
    /// </summary>
    private async Task<BrokerNodeLayout> KillLeaderAsync(LocalClusterProcesses cluster, MQAdminClient admin, QuickstartWorkload workload,
        BrokerNodeLayout leader, int kill, CancellationToken cancellationToken)
    {
        int? pid = cluster.BrokerProcessId(leader.Index);
        long killedAt = Stopwatch.GetTimestamp();
        workload.WatchFirstAckAfter(killedAt);
        await cluster.KillBrokerAsync(leader.Index).ConfigureAwait(false);
        Progress($"kill {kill}/{settings.Kills}: SIGKILL leader {leader.SelfId} (pid {pid})");

        await ShowTrafficWhileAsync("failing over", workload, Poll.UntilTrueAsync(_ => Task.FromResult(workload.FirstAckAfterWatch is not null),
            FailoverTimeout, TimeSpan.FromMilliseconds(20), "a successful send after the kill", cancellationToken)).ConfigureAwait(false);
        long acknowledgedAt = workload.FirstAckAfterWatch!.Value;
        var failover = Stopwatch.GetElapsedTime(killedAt, acknowledgedAt);
        _failovers.Add(failover);
        var newLeader = await WaitForLeaderAsync(admin, cluster.Layout, excluding: leader, cancellationToken).ConfigureAwait(false);
        Progress($"sends succeed again {DurationText.Format(failover)} after the kill");
        if (kill == 1 || kill == settings.Kills) await PrintClusterListAsync(admin, cancellationToken).ConfigureAwait(false);
        return newLeader;
    }
}
