using Xunit.Abstractions;

namespace RaftMq.Consensus.Tests.Simulation;

/// <summary>
/// Slow and frozen peers (issue 13): a minority whose links stall for seconds and then deliver everything in a burst,
/// while the leader's rounds cost virtual CPU time for the backlog they read and send. The leadership-stability
/// checker fails a run in which a leader that had a healthy, connected majority lost its leadership.
/// </summary>
public sealed class SlowPeerTests(ITestOutputHelper output)
{
    private const int DefaultSchedules = 48;

    [Fact]
    public void Slow_or_frozen_minority_never_shakes_a_leader_with_a_healthy_majority()
    {
        SimulationProfile profile = SimulationProfile.SlowPeerHunting;
        IReadOnlyList<int> seeds = SimulationRunner.Seeds(DefaultSchedules, 1);

        SimulationRunner.Summary summary = SimulationRunner.RunAll(seeds, profile, stopAtFirstFailure: false);

        output.WriteLine(summary.Describe());
        foreach (SimulationResult failed in summary.Failed) output.WriteLine($"seed {failed.Seed}: {failed.Violation}");
        if (summary.FirstFailure is { } failure)
        {
            Assert.Fail(SimulationRunner.Explain(failure, profile, nameof(Slow_or_frozen_minority_never_shakes_a_leader_with_a_healthy_majority),
                nameof(SimulationProfile.SlowPeerHunting)));
        }
    }
}
