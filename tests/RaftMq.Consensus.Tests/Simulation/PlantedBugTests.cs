using RaftMq.Broker.Store;
using RaftMq.Consensus.Core;
using Xunit.Abstractions;

namespace RaftMq.Consensus.Tests.Simulation;

/// <summary>
/// The simulator must catch deliberately broken variants of the core, the node driver and the log store within a
/// fixed range of seeds, each with the hunting profile that makes its rare path common. Runs are deterministic, so
/// how many schedules a bug needs is stable; the bounds leave headroom. As a control, the failing seed must pass
/// with the bug switched off (the violation is the bug's, not the simulator's).
/// </summary>
public sealed class PlantedBugTests(ITestOutputHelper output)
{
    public static TheoryData<string, string, int> Bugs => new()
    {
        { nameof(PlantedBugs.CommitOldTermByCounting), nameof(SimulationProfile.BugHunting), 2000 },
        { nameof(PlantedBugs.ForgetToPersistVote), nameof(SimulationProfile.BugHunting), 500 },
        { nameof(PlantedBugs.GrantVoteWithoutUpToDateCheck), nameof(SimulationProfile.BugHunting), 200 },
        { nameof(PlantedBugs.AckBeforeFsync), nameof(SimulationProfile.DiskHunting), 300 },
        { nameof(PlantedBugs.ApplyBeforePersist), nameof(SimulationProfile.DiskHunting), 300 },
        { nameof(PlantedBugs.KeepTornTail), nameof(SimulationProfile.DiskHunting), 300 },
        { nameof(PlantedBugs.TimeoutNowBeforeCaughtUp), nameof(SimulationProfile.TransferHunting), 300 },
        { nameof(PlantedBugs.TwoMembershipChangesInFlight), nameof(SimulationProfile.MembershipHunting), 2000 },
        { nameof(PlantedBugs.CountLearnerVote), nameof(SimulationProfile.MembershipHunting), 2000 },
        { nameof(PlantedBugs.ApplyConfigurationAtCommit), nameof(SimulationProfile.MembershipHunting), 2000 },
    };

    [Theory]
    [MemberData(nameof(Bugs))]
    public void Simulator_finds_a_violation_for_each_planted_bug(string bugName, string profileName, int maxSchedules)
    {
        var bug = Enum.Parse<PlantedBugs>(bugName);
        SimulationProfile profile = Hunting(profileName) with { Bugs = bug };
        int[] seeds = Enumerable.Range(1, maxSchedules).ToArray();

        SimulationRunner.Summary summary = SimulationRunner.RunAll(seeds, profile, stopAtFirstFailure: true);

        SimulationResult failure = summary.FirstFailure
            ?? throw new Xunit.Sdk.XunitException($"{bugName}: no violation in {maxSchedules} schedules of {profileName}");
        output.WriteLine($"{bugName} ({profileName}): first violation at seed {failure.Seed} after {summary.Schedules} schedules " +
                         $"({summary.Failures} of them failed, wall {summary.Wall.TotalSeconds:F1} s): {failure.Violation}");
        SimulationResult control = Simulation.Run(failure.Seed, profile with { Bugs = PlantedBugs.None });
        Assert.True(control.Passed, $"seed {failure.Seed} fails even without the planted bug: {control.Violation}");
    }

    /// <summary>Bugs in the broker's state machine: a recovery that doubles ConsumeQueue units (caught by the consume-queue
    /// checker), and two broken write orders that only a power loss of the broker's own files exposes (caught by the
    /// broker-recovery checker: the restarted store finds files behind what its checkpoint or index header vouched for).</summary>
    public static TheoryData<string, string, int> StoreBugs => new()
    {
        { nameof(StorePlantedBugs.ResumeQueuesAfterWrittenUnits), "consume queues:", 300 },
        { nameof(StorePlantedBugs.SkipQueueFsyncAtCheckpoint), "broker recovery:", 300 },
        { nameof(StorePlantedBugs.FlushIndexInOneStep), "broker recovery:", 1000 },
    };

    [Theory]
    [MemberData(nameof(StoreBugs))]
    public void Simulator_finds_each_planted_broker_store_bug(string bugName, string violationPrefix, int maxSchedules)
    {
        var bug = Enum.Parse<StorePlantedBugs>(bugName);
        SimulationProfile profile = SimulationProfile.BrokerHunting with { StoreBugs = bug };

        SimulationRunner.Summary summary = SimulationRunner.RunAll(Enumerable.Range(1, maxSchedules).ToArray(), profile, stopAtFirstFailure: true);

        SimulationResult failure = summary.FirstFailure
            ?? throw new Xunit.Sdk.XunitException($"{bugName}: no violation in {maxSchedules} schedules of BrokerHunting");
        output.WriteLine($"{bugName} (BrokerHunting): first violation at seed {failure.Seed} after {summary.Schedules} schedules " +
                         $"({summary.Failures} of them failed, wall {summary.Wall.TotalSeconds:F1} s): {failure.Violation}");
        Assert.StartsWith(violationPrefix, failure.Violation);
        SimulationResult control = Simulation.Run(failure.Seed, profile with { StoreBugs = StorePlantedBugs.None });
        Assert.True(control.Passed, $"seed {failure.Seed} fails even without the planted bug: {control.Violation}");
    }

    [Theory]
    [InlineData(nameof(SimulationProfile.BugHunting))]
    [InlineData(nameof(SimulationProfile.DiskHunting))]
    [InlineData(nameof(SimulationProfile.WipeHunting))]
    [InlineData(nameof(SimulationProfile.TransferHunting))]
    [InlineData(nameof(SimulationProfile.MembershipHunting))]
    public void Hunting_profiles_pass_without_planted_bugs(string profileName)
    {
        SimulationProfile profile = Hunting(profileName);
        SimulationRunner.Summary summary = SimulationRunner.RunAll(Enumerable.Range(1, 32).ToArray(), profile, stopAtFirstFailure: true);
        output.WriteLine($"{profileName}: {summary.Describe()}");
        if (summary.FirstFailure is { } failure) Assert.Fail(SimulationRunner.Explain(failure, profile, nameof(SimulationTests.Random_fault_schedules_never_break_safety_and_always_recover), profileName));
    }

    internal static SimulationProfile Hunting(string name) => name switch
    {
        nameof(SimulationProfile.BugHunting) => SimulationProfile.BugHunting,
        nameof(SimulationProfile.BrokerHunting) => SimulationProfile.BrokerHunting,
        nameof(SimulationProfile.DiskHunting) => SimulationProfile.DiskHunting,
        nameof(SimulationProfile.WipeHunting) => SimulationProfile.WipeHunting,
        nameof(SimulationProfile.TransferHunting) => SimulationProfile.TransferHunting,
        nameof(SimulationProfile.SlowPeerHunting) => SimulationProfile.SlowPeerHunting,
        nameof(SimulationProfile.MembershipHunting) => SimulationProfile.MembershipHunting,
        _ => throw new ArgumentException($"unknown profile {name}", nameof(name)),
    };
}
