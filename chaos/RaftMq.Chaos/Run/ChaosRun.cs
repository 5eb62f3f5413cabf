using System.Globalization;
using Microsoft.Extensions.Logging;
using RaftMq.Chaos.Checking;
using RaftMq.Chaos.Cluster;
using RaftMq.Chaos.History;
using RaftMq.Chaos.Nemesis;
using RaftMq.Chaos.Network;
using RaftMq.Chaos.Processes;
using RaftMq.Chaos.Report;
using RaftMq.Chaos.Wiring;
using RaftMq.Chaos.Workload;

namespace RaftMq.Chaos.Run;

/// <summary>
/// One chaos run against real <c>raftmq</c> processes: lay the cluster out, start the proxy mesh, the name server and
/// the brokers, wait for a writable leader, create the topic, then run the workload and the nemesis together; stop
/// faults after <see cref="RunOptions.Duration"/>, keep writing through <see cref="RunOptions.FinalHeal"/>, heal
/// everything, drain the consumers, kill every process and judge the history. Every process started here is killed
/// before this returns or throws.
/// </summary>
public static partial class ChaosRun
{
    public static async Task<RunOutcome> ExecuteAsync(RunOptions options, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        options.Validate();
        PrepareOutput(options);
        var logger = loggers.CreateLogger("RaftMq.Chaos.Run");
        var layout = ClusterLayoutWriter.Write(LayoutOptions(options), new LoopbackPortAllocator());
        WiringLog.LaidOut(logger, layout.Options.BaseDirectory, layout.Nodes.Count, CheckOptions.Format(options.FlushDiskType), layout.NameServerAddress);
        var mesh = layout.StartProxyMesh(loggers.CreateLogger<ProxyMesh>());
        FootprintVerdict? footprint = null;
        await using (mesh.ConfigureAwait(false))
        {
            using var supervisor = new ProcessSupervisor(loggers.CreateLogger<ProcessSupervisor>());
            var probe = new RuntimeInfoLeaderProbe(layout);
            await using (probe.ConfigureAwait(false))
            {
                var clientOptions = new ChaosClientOptions
                {
                    NameServerAddress = layout.NameServerAddress,
                    ClusterName = layout.Options.ClusterName,
                    Transactional = options.Transactions,
                };
                var control = new ProcessClusterControl(
                    layout, supervisor, mesh, probe, options.CutMode, new CheckpointPowerLoss(logger), clientOptions.Topic);
                try
                {
                    await StartClusterAsync(options, layout, control, probe, clientOptions, loggers, logger, cancellationToken).ConfigureAwait(false);
                    footprint = await RunWorkloadAsync(options, control, probe, clientOptions, loggers, logger, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    supervisor.KillAll("run finished");
                }
            }
        }

        return Judge(options, footprint);
    }

    /// <summary>Runs the workload and the faults; returns the cluster's footprint before the first fault and after the final heal.</summary>
    private static async Task<FootprintVerdict> RunWorkloadAsync(
        RunOptions options, ProcessClusterControl control, RuntimeInfoLeaderProbe probe, ChaosClientOptions clientOptions,
        ILoggerFactory loggers, ILogger logger, CancellationToken cancellationToken)
    {
        var clock = new HistoryClock();
        using var history = new HistoryWriter(options.HistoryPath);
        var scheduler = new NemesisScheduler(control, history, clock, NemesisOptions(options), logger: loggers.CreateLogger<NemesisScheduler>());
        history.Append(RunNotes.Parameters(clock.NowUs, clock.StartedAt, Parameters(options, scheduler)));
        var client = new RaftMqQueueClient(clientOptions, loggers) { PayloadSize = WorkloadOptions(options).PayloadSize };
        await using (client.ConfigureAwait(false))
        {
            await client.StartAsync(cancellationToken).ConfigureAwait(false);
            var workload = new QueueWorkload(client, history, clock, WorkloadOptions(options));
            workload.StartConsumers();
            try
            {
                var before = await FaultsAndWritesAsync(options, workload, scheduler, control, probe, logger, cancellationToken).ConfigureAwait(false);
                await HealAllAsync(options, control, probe, history, clock, logger).ConfigureAwait(false);
                var after = await TakeFootprintAsync(control, probe).ConfigureAwait(false);
                var verdict = new FootprintVerdict(before, after, options.ExpectNoDisruption, options.MaxRssGrowth);
                foreach (var line in verdict.Lines()) history.Append(new NoteOp($"footprint: {line}", clock.NowUs));
                WiringLog.Phase(logger, "drain", $"{workload.Missing} acked messages not read yet; up to {options.DrainTimeout.TotalSeconds:0}s");
                var full = await workload.DrainAsync(cancellationToken).ConfigureAwait(false);
                WiringLog.Phase(logger, "drained", full ? "every acked message was read" : $"{workload.Missing} acked messages never read");
                return verdict;
            }
            finally
            {
                await workload.StopConsumersAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Producers and the nemesis run together; faults stop after the duration, writes after the final heal. Returns
    /// the footprint taken three quarters into the first heal window: writes are running, no fault has started.
    /// </summary>
    private static async Task<ClusterFootprint> FaultsAndWritesAsync(
        RunOptions options, QueueWorkload workload, NemesisScheduler scheduler, ProcessClusterControl control,
        RuntimeInfoLeaderProbe probe, ILogger logger, CancellationToken cancellationToken)
    {
        using var stopWrites = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var producers = workload.RunProducersAsync(stopWrites.Token);
        var before = TakeFootprintAsync(control, probe, options.HealWindow * 0.75);
        try
        {
            WiringLog.Phase(logger, "faults", $"{string.Join(",", scheduler.Enabled.Select(n => n.Name))} for {options.Duration.TotalSeconds:0}s");
            await scheduler.RunAsync(options.Duration, cancellationToken).ConfigureAwait(false);
            WiringLog.Phase(logger, "final heal", $"writes go on for {options.FinalHeal.TotalSeconds:0}s without faults");
            await Task.Delay(options.FinalHeal, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            WiringLog.Phase(logger, "interrupted", "stopping writes, then heal, drain and check as usual");
        }
        finally
        {
            await stopWrites.CancelAsync().ConfigureAwait(false);
            await producers.ConfigureAwait(false);
        }

        return await before.ConfigureAwait(false);
    }

    private static async Task<ClusterFootprint> TakeFootprintAsync(ProcessClusterControl control, RuntimeInfoLeaderProbe probe, TimeSpan delay = default)
    {
        if (delay > TimeSpan.Zero) await Task.Delay(delay, CancellationToken.None).ConfigureAwait(false);
        return await ClusterFootprint.TakeAsync(
            control.Nodes, node => (control.BrokerProcess(node).Pid, control.BrokerProcess(node).Starts), probe, CancellationToken.None).ConfigureAwait(false);
    }

    private static RunOutcome Judge(RunOptions options, FootprintVerdict? footprint)
    {
        var history = HistoryReader.ReadFile(options.HistoryPath);
        var result = Checker.Check(history.Ops, CheckOptions.FromHistory(history.Ops));
        var title = string.Create(CultureInfo.InvariantCulture,
            $"RaftMq chaos run: {options.Nodes} nodes, {CheckOptions.Format(options.FlushDiskType)}, seed {options.Seed}");
        HtmlReport.WriteFile(options.ReportPath, result, history.Ops, title);
        return new RunOutcome(result, history.Ops, options, footprint);
    }

    private static void PrepareOutput(RunOptions options)
    {
        if (File.Exists(options.HistoryPath) || Directory.Exists(options.ClusterDirectory))
        {
            throw new ChaosRunException($"{options.OutputDirectory} already holds a run; choose another --out");
        }

        Directory.CreateDirectory(options.OutputDirectory);
    }
}
