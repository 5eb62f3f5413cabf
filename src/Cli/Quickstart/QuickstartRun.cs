using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using RaftMq.Cli.LocalCluster;
using RaftMq.Cli.Output;
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

    /// <summary>Redirected output gets the traffic counters of a long wait at most this often.</summary>
    private static readonly TimeSpan PlainProgressInterval = TimeSpan.FromSeconds(5);

    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly FailoverStats _failovers = new();
    private readonly List<string> _securityFailures = [];
    private readonly ProgressLine _progress = ProgressLine.ForOutput(output, PlainProgressInterval);
    private QuickstartSecurity? _security;

    public async Task<bool> RunAsync(CancellationToken cancellationToken)
    {
        var layout = ClusterLayout.Load(settings.ConfDirectory);
        if (settings.Secure)
        {
            _security = QuickstartSecurity.Create(layout, settings.Topic, QuickstartWorkload.ConsumerGroup);
            layout = ClusterLayout.Load(_security.Directory);
        }
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
            bool keepRunning = dashboard is not null || settings.KeepRunning;
            if (!keepRunning)
            {
                Progress("stopping the cluster (SIGTERM)");
                await cluster.StopAllAsync().ConfigureAwait(false);
                stopped = true;
            }
            bool ok = PrintReport(summary);
            if (_security is not null) PrintSecureCommands(layout, _security, running: keepRunning);
            if (keepRunning)
            {
                if (dashboard is not null) Progress($"dashboard: {dashboard.Address}");
                Progress("the cluster keeps running; Ctrl-C stops it");
                await WaitForInterruptAsync(cancellationToken).ConfigureAwait(false);
                await cluster.StopAllAsync().ConfigureAwait(false);
                stopped = true;
            }
            return ok;
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
        await using var admin = new MQAdminClient(new AdminOptions
        {
            NameServerAddresses = [layout.NameServerAddress], InstanceName = "quickstart-admin", Credentials = _security?.Admin, Tls = _security?.ClientTls,
        }, loggers);
        await admin.StartAsync(cancellationToken).ConfigureAwait(false);
        await using var probe = new NodeProbe(_security?.Admin, _security?.ClientTls);
        var leader = await WaitForLeaderAsync(admin, layout, excluding: null, cancellationToken).ConfigureAwait(false);
        await PrintClusterListAsync(admin, cancellationToken).ConfigureAwait(false);
        await CreateTopicAsync(admin, layout, cancellationToken).ConfigureAwait(false);
        if (_security is not null) await ShowRefusalsAsync(admin, layout, _security, cancellationToken).ConfigureAwait(false);

        var workload = await QuickstartWorkload.StartAsync(layout.NameServerAddress, settings.Topic, settings.MessageBytes,
            settings.Producers, settings.RatePerSecond, _security?.App, _security?.ClientTls, loggers, cancellationToken).ConfigureAwait(false);
        try
        {
            string how = _security is null ? "" : $", over TLS signed as {_security.App.AccessKey}";
            Progress($"producing ({settings.RatePerSecond} msg/s, {settings.MessageBytes} B) and consuming (group {QuickstartWorkload.ConsumerGroup}){how}");
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
        await ShowTrafficWhileAsync("traffic", workload, Task.Delay(settings.Phase, cancellationToken)).ConfigureAwait(false);
        var ledger = workload.Ledger.Summarize();
        Progress($"sent {ledger.Sent}, acknowledged {ledger.Acknowledged}, consumed {ledger.Consumed}");
    }

    private async Task DrainAsync(QuickstartWorkload workload, CancellationToken cancellationToken)
    {
        Progress("producers stopped; waiting until every acknowledged message is consumed");
        try
        {
            await ShowTrafficWhileAsync("draining", workload, Poll.UntilTrueAsync(_ => Task.FromResult(workload.Ledger.CountUndelivered() == 0),
                DrainTimeout, PollInterval, "the consumer to receive every acknowledged message", cancellationToken)).ConfigureAwait(false);
        }
        catch (DeadlineExceededException e)
        {
            Progress(e.Message);
        }
    }

    /// <summary>While <paramref name="wait"/> runs, the traffic so far once a second: a live line on a terminal, a
    /// line every <see cref="PlainProgressInterval"/> when redirected.</summary>
    private async Task ShowTrafficWhileAsync(string phase, QuickstartWorkload workload, Task wait)
    {
        while (await Task.WhenAny(wait, Task.Delay(TimeSpan.FromSeconds(1))).ConfigureAwait(false) != wait)
        {
            var ledger = workload.Ledger.Summarize();
            _progress.Report(Stamp($"  {phase}: sent {ledger.Sent}, acknowledged {ledger.Acknowledged}, consumed {ledger.Consumed}"));
        }
        await wait.ConfigureAwait(false);
    }

    /// <summary>A line that stays: a step done, a measurement.</summary>
    private void Progress(string text) => _progress.WriteLine(Stamp(text));

    private string Stamp(string text)
    {
        double seconds = Stopwatch.GetElapsedTime(_started).TotalSeconds;
        return string.Create(CultureInfo.InvariantCulture, $"[{seconds,7:0.0}s] {text}");
    }
}
