namespace RaftMq.Consensus.Tests.Simulation.Checkers;

/// <summary>
/// Liveness after healing: within the bound a leader is elected, a new proposal commits on it, and every node
/// applies up to that proposal.
/// </summary>
internal sealed class LivenessChecker(long healedAtStep, long boundSteps, long stepsPerSecond)
{
    public long? LeaderElectedAt { get; private set; }
    public long? CommittedAt { get; private set; }
    public long? CaughtUpAt { get; private set; }

    public bool Done => CaughtUpAt is not null;

    public void OnLeader(long step) => LeaderElectedAt ??= step;

    public void OnProbeCommitted(long step) => CommittedAt ??= step;

    public void OnAllCaughtUp(long step) => CaughtUpAt ??= step;

    public void Check(long step)
    {
        if (Done || step - healedAtStep <= boundSteps) return;
        string stage = LeaderElectedAt is null ? "no leader was elected"
            : CommittedAt is null ? "no new proposal committed"
            : "not every node caught up";
        throw new SimulationViolationException(
            $"liveness: {stage} within {boundSteps / stepsPerSecond} virtual seconds after all faults healed");
    }
}
