using Xunit.Abstractions;

namespace RaftMq.Consensus.Tests.Simulation;

public sealed class SimulationTests(ITestOutputHelper output)
{
    /// <summary>CI budget: 2,000 schedules of 200+ virtual seconds each (RAFTMQ_SIM_SCHEDULES overrides).</summary>
    private const int DefaultSchedules = 2000;
    private const int DefaultBaseSeed = 1;

    [Fact]
    public void Random_fault_schedules_never_break_safety_and_always_recover()
    {
        // RAFTMQ_SIM_PROFILE=DiskHunting (or BugHunting, WipeHunting, TransferHunting) replays a hunting profile.
        string? profileName = Environment.GetEnvironmentVariable(SimulationRunner.ProfileVariable);
        var profile = profileName is null ? new SimulationProfile() : PlantedBugTests.Hunting(profileName);
        IReadOnlyList<int> seeds = SimulationRunner.Seeds(DefaultSchedules, DefaultBaseSeed);
        if (Environment.GetEnvironmentVariable(SimulationRunner.SeedVariable) is not null)
        {
            // Replaying one seed: show its whole story (set RAFTMQ_SIM_TRACE_MESSAGES=1 for every delivery too).
            var trace = new List<string>();
            SimulationResult replay = Simulation.Run(seeds[0], profile, trace);
            foreach (string line in trace) output.WriteLine(line);
            output.WriteLine(replay.ToString());
        }

        SimulationRunner.Summary summary = SimulationRunner.RunAll(seeds, profile, stopAtFirstFailure: false);

        output.WriteLine(summary.Describe());
        if (summary.FirstFailure is { } failure)
        {
            Assert.Fail(SimulationRunner.Explain(failure, profile, nameof(Random_fault_schedules_never_break_safety_and_always_recover)));
        }
        Assert.Equal(seeds.Count, summary.Schedules);
    }

    [Fact]
    public void The_same_seed_replays_the_same_run()
    {
        var profile = new SimulationProfile { FaultSeconds = 60 };
        var first = new List<string>();
        var second = new List<string>();

        SimulationResult a = Simulation.Run(12345, profile, first);
        SimulationResult b = Simulation.Run(12345, profile, second);

        Assert.Equal(a, b);
        Assert.Equal(first, second);
        Assert.True(a.Applied > 0);
    }
}
