using RaftMq.Chaos.History;

namespace RaftMq.Chaos.Checking;

/// <summary>
/// Judges a history. Pure: the same ops and options always give the same result. Each analysis lives in
/// its own partial file (<c>Checker.Loss.cs</c>, <c>Checker.Duplicates.cs</c>, <c>Checker.Order.cs</c>)
/// and recovery times in <see cref="RecoveryAnalysis"/>.
/// </summary>
public static partial class Checker
{
    public static CheckResult Check(IReadOnlyList<HistoryOp> ops, CheckOptions options)
    {
        ArgumentNullException.ThrowIfNull(ops);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        var index = HistoryIndex.Build(ops);
        var anomalies = new AnomalyCollector(options);
        var expectedLosses = FindLosses(index, options, anomalies);
        FindRolledBack(index, options, expectedLosses, anomalies);
        FindDuplicates(index, anomalies);
        FindInconsistentOffsets(index, expectedLosses, anomalies);
        FindFailedWritesVisible(index, anomalies);
        FindRolledBackDelivered(index, anomalies);
        FindUnexpected(index, anomalies);
        if (options.OrderedKeys)
        {
            FindOrderViolations(index, expectedLosses, anomalies);
        }

        var recovery = RecoveryAnalysis.Analyze(index);
        return new CheckResult(
            CountOps(index),
            anomalies.Groups(),
            recovery.Windows,
            recovery.Failover,
            recovery.Availability,
            options);
    }

    private static OperationCounts CountOps(HistoryIndex index)
    {
        int ok = 0, fail = 0, info = 0;
        foreach (var send in index.Sends)
        {
            switch (send.Outcome)
            {
                case SendOutcome.Acknowledged: ok++; break;
                case SendOutcome.Failed: fail++; break;
                default: info++; break;
            }
        }

        var acked = index.SendsByPayload.Keys.Count(p => index.FirstAck(p) is not null);
        return new OperationCounts(
            Sends: index.Sends.Count,
            Ok: ok,
            Fail: fail,
            Info: info,
            Receives: index.Receives.Count,
            Faults: index.Windows.Count,
            Payloads: index.SendsByPayload.Count,
            AckedPayloads: acked,
            ReceivedPayloads: index.ReceivesByPayload.Count);
    }

    /// <summary>A read payload that no worker ever sent: the store invented or corrupted a message.</summary>
    private static void FindUnexpected(HistoryIndex index, AnomalyCollector anomalies)
    {
        foreach (var payload in index.PayloadOrder)
        {
            var receives = index.ReceivesOf(payload);
            if (receives.Count > 0 && index.SendsOf(payload).Count == 0)
            {
                anomalies.Add(AnomalyKind.Unexpected, payload,
                    $"read {receives.Count}x (first at {receives[0].Position}) but never sent");
            }
        }
    }

    /// <summary>A payload of a transaction the producer rolls back was read (whatever the sends reported).</summary>
    private static void FindRolledBackDelivered(HistoryIndex index, AnomalyCollector anomalies)
    {
        foreach (var payload in index.PayloadOrder)
        {
            var sends = index.SendsOf(payload);
            var receives = index.ReceivesOf(payload);
            if (receives.Count > 0 && sends.Count > 0 && !sends[0].ExpectsDelivery)
            {
                anomalies.Add(AnomalyKind.RolledBackDelivered, payload,
                    $"transaction {sends[0].Transaction} of key {sends[0].Key} seq {sends[0].Seq}, yet read {receives.Count}x (first at {receives[0].Position})");
            }
        }
    }

    /// <summary>Every attempt failed definitely, yet the payload was read: a failed write became visible (G1a).</summary>
    private static void FindFailedWritesVisible(HistoryIndex index, AnomalyCollector anomalies)
    {
        foreach (var payload in index.PayloadOrder)
        {
            var sends = index.SendsOf(payload);
            var receives = index.ReceivesOf(payload);
            if (receives.Count > 0 && sends.Count > 0 && sends.All(s => s.Outcome == SendOutcome.Failed))
            {
                anomalies.Add(AnomalyKind.FailedWriteVisible, payload,
                    $"{sends.Count} attempt(s) all failed ({sends[0].Error ?? "no error text"}), read at {receives[0].Position}");
            }
        }
    }
}
