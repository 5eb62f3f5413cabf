using RaftMq.Consensus.Core;
using Xunit.Abstractions;

namespace RaftMq.Consensus.Tests.Simulation;

/// <summary>
/// The simulator must catch deliberately broken variants of the core within a fixed set of seeds. Each run is
/// deterministic, so the number of schedules needed is stable; the bound leaves headroom.
/// </summary>
public sealed class PlantedBugTests(ITestOutputHelper output)
{
    public static TheoryData<string, int> Bugs => new()
    {
        { nameof(PlantedBugs.CommitOldTermByCounting), 3000 },
        { nameof(PlantedBugs.ForgetToPersistVote), 500 },
        { nameof(PlantedBugs.GrantVoteWithoutUpToDateCheck), 500 },
        { nameof(PlantedBugs.CountUnpersistedOwnEntries), 1000 },
    };

    [Theory]
    [MemberData(nameof(Bugs))]
    public void Simulator_finds_a_violation_for_each_planted_bug(string bugName, int maxSchedules)
    {
        var bug = Enum.Parse<PlantedBugs>(bugName);
        var profile = new SimulationProfile { Bugs = bug, FaultSeconds = int.Parse(Environment.GetEnvironmentVariable("X_SECONDS") ?? "60"), LeaderChurn = Environment.GetEnvironmentVariable("X_CHURN") == "1", ProposalsPerTick = double.Parse(Environment.GetEnvironmentVariable("X_RATE") ?? "0.3"), MeanFaultIntervalSeconds = double.Parse(Environment.GetEnvironmentVariable("X_INTERVAL") ?? "3") };
        var seeds = Enumerable.Range(1, maxSchedules).ToArray();

        SimulationRunner.Summary summary = SimulationRunner.RunAll(seeds, profile, stopAtFirstFailure: true);

        Assert.True(summary.FirstFailure is not null, $"{bugName}: no violation in {maxSchedules} schedules");
        output.WriteLine($"{bugName}: first violation at seed {summary.FirstFailure.Seed} after {summary.Schedules} schedules run: {summary.FirstFailure.Violation}");
    }
}
