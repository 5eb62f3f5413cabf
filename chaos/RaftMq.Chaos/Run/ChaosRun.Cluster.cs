using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using RaftMq.Chaos.Cluster;
using RaftMq.Chaos.History;
using RaftMq.Chaos.Nemesis;
using RaftMq.Chaos.Processes;
using RaftMq.Chaos.Wiring;

namespace RaftMq.Chaos.Run;

public static partial class ChaosRun
{
    /// <summary>Name server first (brokers register at start), then the brokers; then a leader and the topic.</summary>
    private static async Task StartClusterAsync(
        RunOptions options, ProxiedClusterLayout layout, ProcessClusterControl control, RuntimeInfoLeaderProbe probe,
        ChaosClientOptions clientOptions, ILoggerFactory loggers, ILogger logger, CancellationToken cancellationToken)
    {
        control.StartNameServer();
        if (!await WaitForPortAsync(layout.NameServerPort, options.LeaderTimeout, cancellationToken).ConfigureAwait(false))
        {
            throw new ChaosRunException($"the name server did not listen on {layout.NameServerAddress} within {options.LeaderTimeout.TotalSeconds:0}s");
        }

        control.StartBrokers();
        var leader = await probe.WaitForLeaderAsync(options.LeaderTimeout, cancellationToken).ConfigureAwait(false);
        if (leader is null)
        {
            throw new ChaosRunException($"no writable leader within {options.LeaderTimeout.TotalSeconds:0}s; " +
                $"{await DescribeAsync(control, probe).ConfigureAwait(false)}");
        }

        WiringLog.LeaderElected(logger, leader, string.Join(" ", await probe.ProbeAsync(cancellationToken).ConfigureAwait(false)));
        try
        {
            await TopicSetup.CreateAsync(clientOptions, options.LeaderTimeout, loggers, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ChaosRunException($"topic {clientOptions.Topic} could not be created within {options.LeaderTimeout.TotalSeconds:0}s; " +
                $"{await DescribeAsync(control, probe).ConfigureAwait(false)}", e);
        }
    }

    /// <summary>
    /// After the last window: heal the network, resume and restart whatever a fault left down (the scheduler already
    /// healed its own fault; this is the belt to its braces), then wait for a writable leader so the drain can read.
    /// </summary>
    private static async Task HealAllAsync(
        RunOptions options, ProcessClusterControl control, RuntimeInfoLeaderProbe probe, IHistorySink history, HistoryClock clock, ILogger logger)
    {
        control.HealNetwork();
        foreach (var node in control.Nodes)
        {
            var process = control.FindBrokerProcess(node);
            if (process is null)
            {
                await control.StartMemberAsync(node, CancellationToken.None).ConfigureAwait(false); // added, never started
            }
            else if (process.IsRunning && process.IsPaused)
            {
                await control.ResumeAsync(node, CancellationToken.None).ConfigureAwait(false);
            }
            else if (!process.IsRunning)
            {
                await control.RestartAsync(node, CancellationToken.None).ConfigureAwait(false);
            }
        }

        var leader = await probe.WaitForLeaderAsync(options.LeaderTimeout, CancellationToken.None).ConfigureAwait(false);
        var states = await DescribeAsync(control, probe).ConfigureAwait(false);
        if (leader is null)
        {
            WiringLog.NoLeaderAfterHeal(logger, states);
            history.Append(new NoteOp($"no writable leader {options.LeaderTimeout.TotalSeconds:0}s after the final heal: {states}", clock.NowUs));
        }
        else
        {
            // Roles and terms after the heal: how many elections the run cost (a paused follower should cost none).
            history.Append(new NoteOp($"raft after the final heal: {states}", clock.NowUs));
            if (control.Spares.Count > 0 && await control.ReadMembershipAsync(leader, CancellationToken.None).ConfigureAwait(false) is { } membership)
            {
                history.Append(new NoteOp($"membership after the final heal: {membership}; members running: {string.Join(",", control.Nodes)}", clock.NowUs));
            }
        }
    }

    /// <summary>Every broker's Raft view and whether its process runs (with its exit code), for error messages.</summary>
    private static async Task<string> DescribeAsync(ProcessClusterControl control, RuntimeInfoLeaderProbe probe)
    {
        var states = await probe.ProbeAsync(CancellationToken.None).ConfigureAwait(false);
        return string.Join("; ", states.Select(state => $"{state} process {Describe(control.FindBrokerProcess(state.Node))}"));
    }

    private static string Describe(SupervisedProcess? process) =>
        process is null ? "never started (spare)" : process.IsRunning ? $"pid {process.Pid} running" : $"exited with {process.ExitCode} (see {process.Spec.StderrLogPath})";

    private static async Task<bool> WaitForPortAsync(int port, TimeSpan deadline, CancellationToken cancellationToken)
    {
        using var timeUp = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeUp.CancelAfter(deadline);
        while (!timeUp.IsCancellationRequested)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await socket.ConnectAsync(System.Net.IPAddress.Loopback, port, timeUp.Token).ConfigureAwait(false);
                return true;
            }
            catch (SocketException)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), CancellationToken.None).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        return false;
    }
}
