namespace RaftMq.Consensus.Tests.Simulation.Checkers;

/// <summary>
/// Leadership stability in the fault phase: a leadership transfer requested while the group is calm (every node up
/// and running, no link cut, a lossless network, fast disks) must not leave the group without a leader for longer
/// than the bound. A healthy transfer hands over within a few message delays; one that tells a lagging target to
/// campaign leaves the group leaderless for a whole election timeout. Any new fault ends the watched window.
/// One disruptive transfer can be a legitimate race (the transfer timed out and the leader took a proposal just
/// after its TimeoutNow left, so the target's log is one entry short); a run fails when at least two of its calm
/// transfers, and more than a quarter of them, were disruptive.
/// </summary>
internal sealed class StabilityChecker(long boundSteps, long stepsPerSecond)
{
    private long? _windowEndsAt;
    private long? _leaderlessSince;

    /// <summary>Calm transfers watched so far (shown in the test output).</summary>
    public int TransfersWatched { get; private set; }

    public int Disruptions { get; private set; }

    public void OnCalmTransfer(long now)
    {
        TransfersWatched++;
        _windowEndsAt = now + 3 * boundSteps;
        _leaderlessSince = null;
    }

    public void OnDisturbance()
    {
        _windowEndsAt = null;
        _leaderlessSince = null;
    }

    public void Observe(long now, bool hasLeader)
    {
        if (_windowEndsAt is not { } end) return;
        if (hasLeader)
        {
            _leaderlessSince = null;
            if (now > end) _windowEndsAt = null;
            return;
        }
        _leaderlessSince ??= now;
        if (now - _leaderlessSince.Value > boundSteps)
        {
            Disruptions++;
            _windowEndsAt = null;
            _leaderlessSince = null;
        }
    }

    /// <summary>At the end of a run.</summary>
    public void Check()
    {
        if (Disruptions >= 2 && Disruptions * 4 > TransfersWatched)
        {
            throw new SimulationViolationException(
                $"leadership stability: {Disruptions} of {TransfersWatched} leadership transfers in a calm group left it without a " +
                $"leader for more than {boundSteps / (double)stepsPerSecond:F2} virtual seconds");
        }
    }
}
