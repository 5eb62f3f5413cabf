namespace RaftMq.Chaos.Run;

/// <summary>The cluster could not be brought up or driven, so the run has no verdict (exit code 3).</summary>
public sealed class ChaosRunException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>What a finished run produced: the verdict and the history it was computed from.</summary>
public sealed record RunOutcome(RaftMq.Chaos.Checking.CheckResult Result, IReadOnlyList<RaftMq.Chaos.History.HistoryOp> Ops, RunOptions Options);
