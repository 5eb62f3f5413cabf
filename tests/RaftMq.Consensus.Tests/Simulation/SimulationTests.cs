using Xunit.Abstractions;

namespace RaftMq.Consensus.Tests.Simulation;

public sealed class SimulationTests(ITestOutputHelper output)
{
    /// <summary>CI budget: 1,000 schedules of 200+ virtual seconds each, about the wall time 2,000 core-only schedules
    /// took before the simulator ran the real driver and log store (RAFTMQ_SIM_SCHEDULES overrides).</summary>
    private const int DefaultSchedules = 1000;
    private const int DefaultBaseSeed = 1;

    [Fact]
    public void Random_fault_schedules_never_break_safety_and_always_recover()
    {
        // RAFTMQ_SIM_PROFILE=DiskHunting (or BugHunting, WipeHunting, TransferHunting) replays a hunting profile.
        string? profileName = Environment.GetEnvironmentVariable(SimulationRunner.ProfileVariable);
        var profile = profileName is null ? new SimulationProfile() : PlantedBugTests.Hunting(profileName);
        IReadOnlyList<int> seeds = SimulationRunner.Seeds(DefaultSchedules, DefaultBaseSeed);

        SimulationRunner.Summary summary = RunAndReport(seeds, profile);

        foreach (SimulationResult open in summary.Failed.Where(f => KnownOpenSeeds.Contains(f.Seed)))
        {
            output.WriteLine($"known open finding, seed {open.Seed}: {open.Violation}");
        }
        if (summary.Failed.FirstOrDefault(f => !KnownOpenSeeds.Contains(f.Seed)) is { } failure)
        {
            Assert.Fail(SimulationRunner.Explain(failure, profile, nameof(Random_fault_schedules_never_break_safety_and_always_recover)));
        }
        Assert.Equal(seeds.Count, summary.Schedules);
    }

    /// <summary>Runs the seeds and writes the summary and every failure; a single replayed seed (RAFTMQ_SIM_SEED) also
    /// shows its whole story (set RAFTMQ_SIM_TRACE_MESSAGES=1 for every delivery too).</summary>
    private SimulationRunner.Summary RunAndReport(IReadOnlyList<int> seeds, SimulationProfile profile)
    {
        if (Environment.GetEnvironmentVariable(SimulationRunner.SeedVariable) is not null)
        {
            var trace = new List<string>();
            SimulationResult replay = Simulation.Run(seeds[0], profile, trace);
            foreach (string line in trace) output.WriteLine(line);
            output.WriteLine(replay.ToString());
        }
        SimulationRunner.Summary summary = SimulationRunner.RunAll(seeds, profile, stopAtFirstFailure: false);
        output.WriteLine(summary.Describe());
        foreach (SimulationResult failed in summary.Failed) output.WriteLine($"seed {failed.Seed} failed: {failed.Violation}");
        return summary;
    }

    /// <summary>
    /// Seeds whose failure is a known, not yet fixed finding of the simulator that runs the real log store: after a crash
    /// with lost unsynced writes, a recovered log can hold an index unit that is missing or fails its CRC below its last
    /// entry, and the node halts when it reads it as leader (LogCorruptedException). Replay with RAFTMQ_SIM_SEED=N. Every
    /// other seed must pass; remove a seed here once the recovery is fixed.
    /// </summary>
    private static readonly HashSet<int> KnownOpenSeeds = [];

    /// <summary>CI budget for configuration changes: 2,000 schedules of <see cref="SimulationProfile.MembershipHunting"/>
    /// (30 virtual seconds of faults each, then healing and the liveness check; RAFTMQ_SIM_SCHEDULES overrides).</summary>
    private const int MembershipSchedules = 2000;

    [Fact]
    public void Membership_changes_among_random_faults_never_break_safety_and_always_recover()
    {
        SimulationProfile profile = SimulationProfile.MembershipHunting;
        IReadOnlyList<int> seeds = SimulationRunner.Seeds(MembershipSchedules, DefaultBaseSeed);

        SimulationRunner.Summary summary = RunAndReport(seeds, profile);

        if (summary.FirstFailure is { } failure)
        {
            Assert.Fail(SimulationRunner.Explain(failure, profile, nameof(Membership_changes_among_random_faults_never_break_safety_and_always_recover)));
        }
        Assert.Equal(seeds.Count, summary.Schedules);
        // Most schedules must actually change the configuration, or this test proves little.
        Assert.True(summary.MembershipChanges >= seeds.Count, $"only {summary.MembershipChanges} configuration changes in {seeds.Count} schedules");
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

    /// <summary>CI budget for the broker's state machine under simulation: 100 schedules of
    /// <see cref="SimulationProfile.BrokerHunting"/> (about 14 s wall on 2 busy cores; its files on the simulated disks; RAFTMQ_SIM_SCHEDULES overrides).</summary>
    private const int BrokerSchedules = 100;

    [Fact]
    public void Broker_state_machine_replicas_agree_on_consume_queues_and_consumer_offsets()
    {
        SimulationProfile profile = SimulationProfile.BrokerHunting;
        IReadOnlyList<int> seeds = SimulationRunner.Seeds(BrokerSchedules, DefaultBaseSeed);

        SimulationRunner.Summary summary = RunAndReport(seeds, profile);

        if (summary.FirstFailure is { } failure)
        {
            Assert.Fail(SimulationRunner.Explain(failure, profile, nameof(Broker_state_machine_replicas_agree_on_consume_queues_and_consumer_offsets)));
        }
        Assert.Equal(seeds.Count, summary.Schedules);
        // The checker must have compared real queues, and restarts must have recovered brokers from checkpoints.
        Assert.True(summary.BrokerUnitsChecked >= seeds.Count, $"only {summary.BrokerUnitsChecked} ConsumeQueue units compared");
        Assert.True(summary.BrokerRecoveries >= seeds.Count, $"only {summary.BrokerRecoveries} broker recoveries from a checkpoint");
        Assert.True(summary.BrokerQueueDrops > 0, "no drop of the topic's queues (cleanUnusedTopic) was applied");
    }
}
