namespace RaftMq.Chaos.History;

/// <summary>
/// What the producer's local transaction does with a transactional payload: decide at once (commit, rollback) or
/// answer Unknown and decide only when the broker checks back (CHECK_TRANSACTION_STATE).
/// </summary>
public enum TransactionPlan
{
    /// <summary>A plain, non-transactional send.</summary>
    None,
    Commit,
    Rollback,
    CheckThenCommit,
    CheckThenRollback,
}

public static class TransactionPlans
{
    /// <summary>The plan of a payload: a pure function of its id, so a check from any process gets the same answer.</summary>
    public static TransactionPlan For(string payloadId)
    {
        // FNV-1a: stable across processes and runtimes, unlike string.GetHashCode.
        uint hash = 2166136261;
        foreach (var c in payloadId)
        {
            hash = (hash ^ c) * 16777619;
        }

        return (hash % 10) switch
        {
            < 5 => TransactionPlan.Commit,
            < 7 => TransactionPlan.Rollback,
            < 9 => TransactionPlan.CheckThenCommit,
            _ => TransactionPlan.CheckThenRollback,
        };
    }

    /// <summary>Whether consumers must eventually see the payload (plain sends and committed transactions).</summary>
    public static bool Commits(TransactionPlan plan) => plan is TransactionPlan.None or TransactionPlan.Commit or TransactionPlan.CheckThenCommit;

    /// <summary>The history's name of a plan; null for a plain send.</summary>
    public static string? Label(TransactionPlan plan) => plan switch
    {
        TransactionPlan.None => null,
        TransactionPlan.Commit => "commit",
        TransactionPlan.Rollback => "rollback",
        TransactionPlan.CheckThenCommit => "check-commit",
        TransactionPlan.CheckThenRollback => "check-rollback",
        _ => throw new ArgumentOutOfRangeException(nameof(plan), plan, null),
    };

    /// <summary>The plan a history label names (null or unknown text: a plain send).</summary>
    public static TransactionPlan Parse(string? label) => label switch
    {
        "commit" => TransactionPlan.Commit,
        "rollback" => TransactionPlan.Rollback,
        "check-commit" => TransactionPlan.CheckThenCommit,
        "check-rollback" => TransactionPlan.CheckThenRollback,
        _ => TransactionPlan.None,
    };
}
