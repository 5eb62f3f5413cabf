using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using RaftMq.Cli.LocalCluster;
using RaftMq.Cli.Processes;
using RaftMq.Client.Admin;

namespace RaftMq.Cli.Quickstart;

/// <summary>
/// The quickstart scenario over real processes: a fresh name server and broker group from the conf folder, a topic,
/// traffic, SIGKILL of the leader (N times, restarting the killed node and waiting for it to catch up in between),
/// then the ledger: sent / acknowledged / consumed / lost / duplicated and the failover times. Child processes are
/// stopped gracefully at the end and killed on any failure or interruption.
/// </summary>
public sealed partial class QuickstartRun(QuickstartSettings settings, RaftMqLauncher launcher, ILoggerFactory loggers, TextWriter output)
{
    private static readonly TimeSpan LeaderTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan FailoverTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan CatchUpTimeout = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly FailoverStats _failovers = new();

    public async Task<bool> RunAsync(CancellationToken cancellationToken)
    {
        var layout = ClusterLayout.Load(settings.ConfDirectory);
        PrintHeader(layout);
        var cluster = new LocalClusterProcesses(layout, launcher, settings.LogDirectory, settings.WorkingDirectory);
        bool stopped = false;
        try
        {
            await cluster.EnsurePortsFreeAsync(cancellationToken).ConfigureAwait(false);
            cluster.WipeStores();
            Progress($"wiped store folders {string.Join(", ", layout.Brokers.SelectMany(broker => broker.StoreDirectories))}");
            await StartClusterAsync(cluster, cancellationToken).ConfigureAwait(false);
            await using var dashboard = await StartDashboardAsync(layout, cancellationToken).ConfigureAwait(false);
            var summary = await RunTrafficAsync(cluster, cancellationToken).ConfigureAwait(false);
            if (dashboard is not null)
            {
                bool ok = PrintReport(summary);
                Progress($"dashboard: {dashboard.Address} -- the cluster keeps running; Ctrl-C stops it");
                await WaitForInterruptAsync(cancellationToken).ConfigureAwait(false);
                await cluster.StopAllAsync().ConfigureAwait(false);
                stopped = true;
                return ok;
            }
            Progress("stopping the cluster (SIGTERM)");
            await cluster.StopAllAsync().ConfigureAwait(false);
            stopped = true;
            return PrintReport(summary);
        }
        finally
        {
            if (!stopped) Progress("killing the cluster's processes");
            await cluster.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task<LedgerSummary> RunTrafficAsync(LocalClusterProcesses cluster, CancellationToken cancellationToken)
    {
        var layout = cluster.Layout;
        await using var admin = new MQAdminClient(new AdminOptions { NameServerAddresses = [layout.NameServerAddress], InstanceName = "quickstart-admin" }, loggers);
        await admin.StartAsync(cancellationToken).ConfigureAwait(false);
        await using var probe = new NodeProbe();
        var leader = await WaitForLeaderAsync(admin, layout, excluding: null, cancellationToken).ConfigureAwait(false);
        await PrintClusterListAsync(admin, cancellationToken).ConfigureAwait(false);
        await CreateTopicAsync(admin, layout, cancellationToken).ConfigureAwait(false);

        var workload = await QuickstartWorkload.StartAsync(layout.NameServerAddress, settings.Topic, settings.MessageBytes,
            settings.Producers, settings.RatePerSecond, loggers, cancellationToken).ConfigureAwait(false);
        try
        {
            Progress($"producing ({settings.RatePerSecond} msg/s, {settings.MessageBytes} B) and consuming (group QuickstartConsumer)");
            await RunPhaseAsync(workload, cancellationToken).ConfigureAwait(false);
            for (int kill = 1; kill <= settings.Kills; kill++)
            {
                var killed = leader;
                leader = await KillLeaderAsync(cluster, admin, workload, leader, kill, cancellationToken).ConfigureAwait(false);
                await RunPhaseAsync(workload, cancellationToken).ConfigureAwait(false);
                if (kill == settings.Kills) break;
                await RestartAndCatchUpAsync(cluster, probe, killed, leader, cancellationToken).ConfigureAwait(false);
                await RunPhaseAsync(workload, cancellationToken).ConfigureAwait(false);
            }
            await workload.StopProducingAsync().ConfigureAwait(false);
            await DrainAsync(workload, cancellationToken).ConfigureAwait(false);
            return workload.Ledger.Summarize();
        }
        finally
        {
            await workload.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task RunPhaseAsync(QuickstartWorkload workload, CancellationToken cancellationToken)
    {
        await Task.Delay(settings.Phase, cancellationToken).ConfigureAwait(false);
        var ledger = workload.Ledger.Summarize();
        Progress($"sent {ledger.Sent}, acknowledged {ledger.Acknowledged}, consumed {ledger.Consumed}");
    }

    private async Task DrainAsync(QuickstartWorkload workload, CancellationToken cancellationToken)
    {
        Progress("producers stopped; waiting until every acknowledged message is consumed");
        try
        {
            await Poll.UntilTrueAsync(_ => Task.FromResult(workload.Ledger.CountUndelivered() == 0), DrainTimeout, PollInterval,
                "the consumer to receive every acknowledged message", cancellationToken).ConfigureAwait(false);
        }
        catch (DeadlineExceededException e)
        {
            Progress(e.Message);
        }
    }

    private void Progress(string text)
    {
        double seconds = Stopwatch.GetElapsedTime(_started).TotalSeconds;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{seconds,7:0.0}s] {text}"));
    }
}
