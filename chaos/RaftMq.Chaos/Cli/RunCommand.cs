using System.Globalization;
using Microsoft.Extensions.Logging;
using RaftMq.Chaos.Checking;
using RaftMq.Chaos.Nemesis;
using RaftMq.Chaos.Network;
using RaftMq.Chaos.Run;

namespace RaftMq.Chaos.Cli;

/// <summary>
/// <c>raftmq-chaos run --raftmq PATH [--nodes 3|5] [--spares 0-4] [--duration 120s] [--fault-window 10s] [--heal-window 10s]
/// [--pause 10s-30s] [--nemeses a,b|all] [--flush SYNC_FLUSH|ASYNC_FLUSH] [--producers 4] [--consumers 2]
/// [--seed N] [--cut blackhole|refuse] [--broker-key KEY=VALUE]... [--transactions] [--expect-no-disruption] [--max-rss-growth 10%] [--final-heal 15s] [--drain-timeout 90s] [--leader-timeout 60s] [--out DIR]</c>.
/// </summary>
internal static class RunCommand
{
    public const string Usage =
        "usage: raftmq-chaos run [--raftmq PATH(raftmq.dll or apphost)] [--nodes 3|5] [--spares 0-4] [--duration 120s] [--fault-window 10s] "
        + "[--heal-window 10s] [--pause 10s-30s] [--nemeses kill-leader,pause-leader,...|all] [--flush SYNC_FLUSH|ASYNC_FLUSH] "
        + "[--producers 4] [--consumers 2] [--send-interval 50ms] [--seed N] [--cut blackhole|refuse] [--broker-key KEY=VALUE]... [--transactions] [--expect-no-disruption] [--max-rss-growth 10%] [--final-heal 15s] "
        + "[--drain-timeout 90s] [--leader-timeout 60s] [--out DIR]";

    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        RunOptions options;
        try
        {
            options = Parse(args, Environment.CurrentDirectory);
        }
        catch (Exception e) when (e is ArgumentException or FileNotFoundException)
        {
            stderr.WriteLine(e.Message);
            stderr.WriteLine(Usage);
            return ExitCodes.Usage;
        }

        using var loggers = LoggerFactory.Create(builder => builder
            .SetMinimumLevel(LogLevel.Information)
            .AddFilter("RaftMq.Client", LogLevel.Error)
            .AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.TimestampFormat = "HH:mm:ss.fff ";
            })
            .AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace));
        using var interrupted = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            // first Ctrl-C: stop faults and writes, then heal, drain, check and report as usual
            e.Cancel = !interrupted.IsCancellationRequested;
            interrupted.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            var outcome = ChaosRun.ExecuteAsync(options, loggers, interrupted.Token).GetAwaiter().GetResult();
            stderr.WriteLine($"history: {options.HistoryPath}");
            stderr.WriteLine($"report: {options.ReportPath}");
            stdout.WriteLine(outcome.Result.Summary());
            foreach (var line in outcome.Footprint?.Lines() ?? []) stdout.WriteLine($"footprint: {line}");
            return outcome.IsValid ? ExitCodes.Valid : ExitCodes.Invalid;
        }
        catch (ChaosRunException e)
        {
            stderr.WriteLine($"raftmq-chaos run: {e.Message}");
            stderr.WriteLine($"process logs: {Path.Combine(options.ClusterDirectory, "logs")}");
            return ExitCodes.RunFailed;
        }
        catch (OperationCanceledException) when (interrupted.IsCancellationRequested)
        {
            stderr.WriteLine("raftmq-chaos run: interrupted before the workload started; no history to judge");
            return ExitCodes.RunFailed;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    public static RunOptions Parse(IReadOnlyList<string> args, string workingDirectory)
    {
        string? raftmq = null;
        string? output = null;
        var options = new RunOptions { Command = new("raftmq", []), OutputDirectory = "." };
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--raftmq": raftmq = Value(); break;
                case "--out": output = Value(); break;
                case "--nodes": options = options with { Nodes = Number(args[i], Value()) }; break;
                case "--spares": options = options with { Spares = Number(args[i], Value()) }; break;
                case "--duration": options = options with { Duration = DurationText.Parse(Value()) }; break;
                case "--fault-window": options = options with { FaultWindow = DurationText.Parse(Value()) }; break;
                case "--heal-window": options = options with { HealWindow = DurationText.Parse(Value()) }; break;
                case "--final-heal": options = options with { FinalHeal = DurationText.Parse(Value()) }; break;
                case "--drain-timeout": options = options with { DrainTimeout = DurationText.Parse(Value()) }; break;
                case "--leader-timeout": options = options with { LeaderTimeout = DurationText.Parse(Value()) }; break;
                case "--send-interval": options = options with { SendInterval = DurationText.Parse(Value()) }; break;
                case "--pause":
                    var (min, max) = DurationText.ParseRange(Value());
                    options = options with { PauseMin = min, PauseMax = max };
                    break;
                case "--nemeses" or "--nemesis": options = options with { Nemeses = ParseNemeses(Value()) }; break;
                case "--flush": options = options with { FlushDiskType = CheckOptions.ParseFlushDiskType(Value()) }; break;
                case "--producers": options = options with { Producers = Number(args[i], Value()) }; break;
                case "--consumers": options = options with { Consumers = Number(args[i], Value()) }; break;
                case "--seed": options = options with { Seed = Number(args[i], Value()) }; break;
                case "--cut": options = options with { CutMode = ParseCut(Value()) }; break;
                case "--transactions": options = options with { Transactions = true }; break;
                case "--expect-no-disruption": options = options with { ExpectNoDisruption = true }; break;
                case "--max-rss-growth": options = options with { MaxRssGrowth = Percent(args[i], Value()) }; break;
                case "--broker-key": options = options with { BrokerKeys = WithBrokerKey(options.BrokerKeys, Value()) }; break;
                default: throw new ArgumentException($"unknown option '{args[i]}'");
            }
        }

        var dll = raftmq ?? RaftMqLocator.FindBuiltDll(workingDirectory)
            ?? throw new ArgumentException("--raftmq PATH is required (no built src/Cli/bin/*/net10.0/raftmq.dll found above the current directory)");
        options = options with
        {
            Command = RaftMqLocator.CommandFor(Path.Combine(workingDirectory, dll)),
            OutputDirectory = Path.GetFullPath(Path.Combine(workingDirectory, output ?? DefaultOutput())),
        };
        options.Validate();
        return options;
    }

    private static Dictionary<string, string> WithBrokerKey(IReadOnlyDictionary<string, string> keys, string text)
    {
        int equals = text.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0) throw new ArgumentException($"--broker-key takes KEY=VALUE, got '{text}'");
        return new Dictionary<string, string>(keys) { [text[..equals].Trim()] = text[(equals + 1)..].Trim() };
    }

    /// <summary><c>all</c> means every nemesis (those that do not apply to the cluster are skipped).</summary>
    public static IReadOnlyList<string>? ParseNemeses(string text) =>
        text.Trim() == "all" ? null : [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    private static ProxyMode ParseCut(string text) => text.ToLowerInvariant() switch
    {
        "blackhole" => ProxyMode.Blackhole,
        "refuse" => ProxyMode.Refuse,
        _ => throw new ArgumentException($"--cut must be blackhole or refuse, got '{text}'"),
    };

    private static int Number(string option, string text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new ArgumentException($"{option} needs a whole number, got '{text}'");

    /// <summary>"10%" or "0.1".</summary>
    private static double Percent(string option, string text)
    {
        var trimmed = text.Trim();
        bool percent = trimmed.EndsWith('%');
        if (!double.TryParse(percent ? trimmed[..^1] : trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < 0)
        {
            throw new ArgumentException($"{option} needs a non-negative fraction or percentage (0.1 or 10%), got '{text}'");
        }
        return percent ? value / 100 : value;
    }

    private static string DefaultOutput() =>
        Path.Combine("artifacts", "chaos", DateTimeOffset.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
}
