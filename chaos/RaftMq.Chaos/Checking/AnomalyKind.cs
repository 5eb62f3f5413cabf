namespace RaftMq.Chaos.Checking;

/// <summary>What the checker can find. Order is the order of the report's anomaly table.</summary>
public enum AnomalyKind
{
    /// <summary>Acked at offset a; a later offset of the same queue was read; a never was (Jepsen lost-write).</summary>
    Lost,

    /// <summary>Acked, never read by the end of the run, and no later offset of its queue was read.</summary>
    Unseen,

    /// <summary>Lost or unseen, but acked inside an ASYNC_FLUSH power-loss exposure window: documented loss.</summary>
    ExpectedLoss,

    /// <summary>Stored at two or more offsets with no ambiguous send attempt to account for the copies.</summary>
    DuplicateUnexplained,

    /// <summary>Stored at two or more offsets, accounted for by info/fail attempts or client-internal retries.</summary>
    DuplicateExplained,

    /// <summary>One stored offset delivered more than once (at-least-once redelivery, e.g. after a rebalance).</summary>
    DuplicateRedelivery,

    /// <summary>One broker/queue/offset observed holding two different payloads.</summary>
    InconsistentOffset,

    /// <summary>Every send attempt of the payload failed definitely, yet it was read (Jepsen G1a).</summary>
    FailedWriteVisible,

    /// <summary>Per-key order broken: in storage (offsets against seq) or in first deliveries.</summary>
    OrderViolation,

    /// <summary>A payload was read that no worker ever sent.</summary>
    Unexpected,

    /// <summary>A transaction the producer committed (its half message acked) was never read by the end of the run.</summary>
    CommittedMissing,

    /// <summary>A transaction the producer rolled back was read: a consumer saw a message that must not exist.</summary>
    RolledBackDelivered,
}

/// <summary>One finding, with the payload (or position, or key) it is about.</summary>
public sealed record Anomaly(AnomalyKind Kind, string Subject, string Detail);

/// <summary>All findings of one kind: how many, whether they fail the run, the first few as examples.</summary>
public sealed record AnomalyGroup(AnomalyKind Kind, int Count, bool FailsRun, IReadOnlyList<Anomaly> Examples);

public static class AnomalyKinds
{
    /// <summary>
    /// Whether a kind is a safety anomaly under these options. Unseen only counts when the run ended with a
    /// full drain: otherwise the consumers may simply not have caught up.
    /// </summary>
    public static bool FailsRun(AnomalyKind kind, CheckOptions options) => kind switch
    {
        AnomalyKind.Unseen or AnomalyKind.CommittedMissing => options.FullDrain,
        AnomalyKind.ExpectedLoss or AnomalyKind.DuplicateExplained or AnomalyKind.DuplicateRedelivery => false,
        _ => true,
    };

    /// <summary>Short stable label used in the summary line and the report.</summary>
    public static string Label(AnomalyKind kind) => kind switch
    {
        AnomalyKind.Lost => "lost",
        AnomalyKind.Unseen => "unseen",
        AnomalyKind.ExpectedLoss => "expected-loss",
        AnomalyKind.DuplicateUnexplained => "duplicate-unexplained",
        AnomalyKind.DuplicateExplained => "duplicate-explained",
        AnomalyKind.DuplicateRedelivery => "duplicate-redelivery",
        AnomalyKind.InconsistentOffset => "inconsistent-offset",
        AnomalyKind.FailedWriteVisible => "failed-write-visible",
        AnomalyKind.OrderViolation => "order-violation",
        AnomalyKind.Unexpected => "unexpected",
        AnomalyKind.CommittedMissing => "committed-missing",
        AnomalyKind.RolledBackDelivered => "rolled-back-delivered",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
