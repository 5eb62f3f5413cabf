using System.Globalization;
using RaftMq.Chaos.Checking;
using RaftMq.Chaos.Cluster;
using RaftMq.Chaos.Nemesis;
using RaftMq.Chaos.Workload;

namespace RaftMq.Chaos.Run;

public static partial class ChaosRun
{
    public static ClusterLayoutOptions LayoutOptions(RunOptions options) => new()
    {
        BaseDirectory = options.ClusterDirectory,
        NodeCount = options.Nodes,
        SpareNodes = options.Spares,
        FlushDiskType = options.FlushDiskType,
        Command = options.Command,
        ExtraBrokerProperties = options.EffectiveBrokerKeys,
    };

    public static NemesisOptions NemesisOptions(RunOptions options) => new()
    {
        HealWindow = options.HealWindow,
        FaultWindow = options.FaultWindow,
        PauseMin = options.PauseMin,
        PauseMax = options.PauseMax,
        CutMode = options.CutMode,
        Seed = options.Seed,
        Enabled = options.Nemeses,
    };

    /// <summary>
    /// The producers stop when the run says so; the workload's own duration and message budget are only safety
    /// bounds, sized for the longest possible run (every window at its longest, then the final heal).
    /// </summary>
    public static WorkloadOptions WorkloadOptions(RunOptions options)
    {
        var longest = options.Duration + options.FaultWindow + options.PauseMax + options.HealWindow + options.FinalHeal + TimeSpan.FromMinutes(1);
        var perProducerRate = options.SendInterval > TimeSpan.Zero ? 1 / options.SendInterval.TotalSeconds : 1000;
        var budget = (long)(options.Producers * perProducerRate * longest.TotalSeconds) + 1000;
        return new WorkloadOptions
        {
            Producers = options.Producers,
            Consumers = options.Consumers,
            Duration = longest,
            MaxMessages = (int)Math.Min(budget, 10_000_000),
            SendInterval = options.SendInterval,
            SendTimeout = TimeSpan.FromSeconds(10),
            RetriesAfterFailure = 1,
            DrainTimeout = options.DrainTimeout,
            Transactional = options.Transactions,
        };
    }

    /// <summary>The run-parameters note: what <c>check</c> needs (flushDiskType, orderedKeys) and what a reader wants to know.</summary>
    private static Dictionary<string, string> Parameters(RunOptions options, NemesisScheduler scheduler)
    {
        static string Seconds(TimeSpan value) => value.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s";
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [History.RunNotes.FlushDiskTypeField] = CheckOptions.Format(options.FlushDiskType),
            // a transaction commits when its END (or a check) arrives, so a key's messages are not stored in send order
            [History.RunNotes.OrderedKeysField] = options.Transactions ? "false" : "true",
            ["transactions"] = options.Transactions ? "true" : "false",
            ["nodes"] = options.Nodes.ToString(CultureInfo.InvariantCulture),
            ["spares"] = options.Spares.ToString(CultureInfo.InvariantCulture),
            ["seed"] = options.Seed.ToString(CultureInfo.InvariantCulture),
            ["nemeses"] = string.Join(",", scheduler.Enabled.Select(n => n.Name)),
            ["duration"] = Seconds(options.Duration),
            ["faultWindow"] = Seconds(options.FaultWindow),
            ["healWindow"] = Seconds(options.HealWindow),
            ["pause"] = $"{Seconds(options.PauseMin)}-{Seconds(options.PauseMax)}",
            ["finalHeal"] = Seconds(options.FinalHeal),
            ["cutMode"] = options.CutMode.ToString(),
            ["producers"] = options.Producers.ToString(CultureInfo.InvariantCulture),
            ["consumers"] = options.Consumers.ToString(CultureInfo.InvariantCulture),
            ["sendInterval"] = Seconds(options.SendInterval),
            ["raftmq"] = $"{options.Command.FileName} {string.Join(' ', options.Command.PrefixArguments)}".Trim(),
        };
    }
}
