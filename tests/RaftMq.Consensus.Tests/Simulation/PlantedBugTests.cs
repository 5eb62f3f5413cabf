using RaftMq.Consensus.Core;
using Xunit.Abstractions;

namespace RaftMq.Consensus.Tests.Simulation;

/// <summary>
/// The simulator must catch deliberately broken variants of the core within a fixed range of seeds. Runs are
/// deterministic, so how many schedules a bug needs is stable; the bounds leave headroom. As a control, the
/// failing seed must pass with the bug switched off (the violation is the bug's, not the simulator's).
/// </summary>
public sealed class PlantedBugTests(ITestOutputHelper output)
{
    public static TheoryData<string, int> Bugs => new()
    {
        { nameof(PlantedBugs.CommitOldTermByCounting), 2000 },
        { nameof(PlantedBugs.ForgetToPersistVote), 500 },
        { nameof(PlantedBugs.GrantVoteWithoutUpToDateCheck), 200 },
    };

    [Theory]
    [MemberData(nameof(Bugs))]
    public void Simulator_finds_a_violation_for_each_planted_bug(string bugName, int maxSchedules)
    {
        var bug = Enum.Parse<PlantedBugs>(bugName);
        SimulationProfile profile = SimulationProfile.BugHunting with { Bugs = bug };
        int[] seeds = Enumerable.Range(1, maxSchedules).ToArray();

        SimulationRunner.Summary summary = SimulationRunner.RunAll(seeds, profile, stopAtFirstFailure: true);

        SimulationResult failure = summary.FirstFailure
            ?? throw new Xunit.Sdk.XunitException($"{bugName}: no violation in {maxSchedules} schedules");
        output.WriteLine($"{bugName}: first violation at seed {failure.Seed} ({summary.Schedules} schedules run, wall {summary.Wall.TotalSeconds:F1} s): {failure.Violation}");
        SimulationResult control = Simulation.Run(failure.Seed, profile with { Bugs = PlantedBugs.None });
        Assert.True(control.Passed, $"seed {failure.Seed} fails even without the planted bug: {control.Violation}");
    }
}
