namespace RaftMq.Chaos.Run;

/// <summary>The cluster could not be brought up or driven, so the run has no verdict (exit code 3).</summary>
public sealed class ChaosRunException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>What a finished run produced: the verdict, the history it was computed from, and the cluster's footprint
/// (null when the run ended before its workload did).</summary>
public sealed record RunOutcome(
    RaftMq.Chaos.Checking.CheckResult Result, IReadOnlyList<RaftMq.Chaos.History.HistoryOp> Ops, RunOptions Options, FootprintVerdict? Footprint = null)
{
    /// <summary>The history is valid and the footprint within the limits the run was given.</summary>
    public bool IsValid => Result.IsValid && (Footprint?.IsValid ?? true);
}
