using System.Diagnostics;

namespace RaftMq.Consensus.Tests.Simulation;

/// <summary>Runs many seeds (on two threads) and explains the first failure with its replay command.</summary>
internal static class SimulationRunner
{
    public const string SeedVariable = "RAFTMQ_SIM_SEED";
    public const string SchedulesVariable = "RAFTMQ_SIM_SCHEDULES";
    public const string BaseSeedVariable = "RAFTMQ_SIM_BASE_SEED";
    public const string ProfileVariable = "RAFTMQ_SIM_PROFILE";

    public sealed record Summary(int Schedules, int Failures, double VirtualSeconds, TimeSpan Wall, SimulationResult? FirstFailure, long Messages, long Leaders, long Applied)
    {
        /// <summary>Schedules per group size (index = nodes), halts after disk faults, disk faults injected, calm transfers watched.</summary>
        public int[] BySize { get; init; } = new int[8];
        public long Halts { get; init; }
        public long DiskFaults { get; init; }
        public long TransfersWatched { get; init; }
        public long MembershipChanges { get; init; }
        public long BrokerUnitsChecked { get; init; }
        public long BrokerRecoveries { get; init; }
        public long BrokerQueueDrops { get; init; }

        /// <summary>Every failed schedule, in seed order.</summary>
        public IReadOnlyList<SimulationResult> Failed { get; init; } = [];

        public string Describe() =>
            $"{Schedules} schedules (group sizes 1-5: {string.Join("/", BySize.Skip(1).Take(5))}), {VirtualSeconds:F0} virtual seconds " +
            $"({VirtualSeconds / Math.Max(1, Schedules):F1} s each), wall {Wall.TotalSeconds:F1} s, {Messages} messages, {Leaders} leaders elected, " +
            $"{Applied} entries committed, {DiskFaults} disk faults injected, {Halts} halts, {TransfersWatched} calm transfers watched, {MembershipChanges} configuration changes, " +
            (BrokerUnitsChecked > 0 ? $"{BrokerUnitsChecked} ConsumeQueue units compared, {BrokerRecoveries} broker recoveries from a checkpoint, {BrokerQueueDrops} queue drops, " : "") +
            $"{Failures} failures";
    }

    /// <summary>The seeds to run: just RAFTMQ_SIM_SEED when set, else RAFTMQ_SIM_SCHEDULES (default given) from a base seed.</summary>
    public static IReadOnlyList<int> Seeds(int defaultCount, int defaultBaseSeed)
    {
        if (int.TryParse(Environment.GetEnvironmentVariable(SeedVariable), out int single)) return new[] { single };
        int count = int.TryParse(Environment.GetEnvironmentVariable(SchedulesVariable), out int n) && n > 0 ? n : defaultCount;
        int baseSeed = int.TryParse(Environment.GetEnvironmentVariable(BaseSeedVariable), out int b) ? b : defaultBaseSeed;
        return Enumerable.Range(0, count).Select(i => unchecked(baseSeed + i)).ToArray();
    }

    /// <summary>
    /// Runs the seeds on two threads in fixed chunks of 16. When stopping at the first failure, the chunk that
    /// holds it still completes, so the lowest failing seed reported is the same on every run.
    /// </summary>
    public static Summary RunAll(IReadOnlyList<int> seeds, SimulationProfile profile, bool stopAtFirstFailure)
    {
        const int chunk = 16;
        var clock = Stopwatch.StartNew();
        var results = new SimulationResult?[seeds.Count];
        int end = 0;
        while (end < seeds.Count)
        {
            int start = end;
            end = Math.Min(seeds.Count, start + chunk);
            Parallel.For(start, end, new ParallelOptions { MaxDegreeOfParallelism = 2 }, i => results[i] = Simulation.Run(seeds[i], profile));
            if (stopAtFirstFailure && FirstFailure(results, start, end) is not null) break;
        }
        double virtualSeconds = 0;
        long messages = 0, leaders = 0, applied = 0, halts = 0, diskFaults = 0, transfers = 0, changes = 0, brokerUnits = 0, brokerRecoveries = 0, brokerDrops = 0;
        int failures = 0;
        var bySize = new int[8];
        for (int i = 0; i < end; i++)
        {
            SimulationResult result = results[i]!;
            bySize[Math.Min(result.Nodes, 7)]++;
            halts += result.Halts;
            diskFaults += result.DiskFaults;
            transfers += result.TransfersWatched;
            changes += result.MembershipChanges;
            brokerUnits += result.BrokerUnitsChecked;
            brokerRecoveries += result.BrokerRecoveries;
            brokerDrops += result.BrokerQueueDrops;
            virtualSeconds += result.VirtualSeconds;
            messages += result.Messages;
            leaders += result.Leaders;
            applied += result.Applied;
            if (!result.Passed) failures++;
        }
        return new Summary(end, failures, virtualSeconds, clock.Elapsed, FirstFailure(results, 0, end), messages, leaders, applied)
        {
            BySize = bySize, Halts = halts, DiskFaults = diskFaults, TransfersWatched = transfers, MembershipChanges = changes,
            BrokerUnitsChecked = brokerUnits, BrokerRecoveries = brokerRecoveries, BrokerQueueDrops = brokerDrops,
            Failed = [.. results.Take(end).Where(r => r is { Passed: false }).Select(r => r!)],
        };
    }

    private static SimulationResult? FirstFailure(SimulationResult?[] results, int start, int end)
    {
        for (int i = start; i < end; i++)
        {
            if (results[i] is { Passed: false } failure) return failure;
        }
        return null;
    }

    /// <summary>Failure text: the seed, how to replay it, and the tail of the replayed run's trace.</summary>
    public static string Explain(SimulationResult failure, SimulationProfile profile, string testName, string? profileName = null)
    {
        var trace = new List<string>();
        Simulation.Run(failure.Seed, profile, trace);
        IEnumerable<string> tail = trace.Skip(Math.Max(0, trace.Count - 60));
        return $"simulation seed {failure.Seed} failed: {failure.Violation}\n" +
               $"replay: {SeedVariable}={failure.Seed} {(profileName is null ? "" : $"{ProfileVariable}={profileName} ")}dotnet test tests/RaftMq.Consensus.Tests --filter \"FullyQualifiedName~{testName}\"\n" +
               "trace tail:\n  " + string.Join("\n  ", tail);
    }
}
