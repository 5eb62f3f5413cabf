using RaftMq.Chaos.History;

namespace RaftMq.Chaos.Checking;

public static partial class Checker
{
    /// <summary>
    /// A payload stored at k &gt; 1 distinct positions (from acks and reads) is explained when its sends could
    /// have written k copies: one per ok attempt is not enough, but each info or fail attempt, and each
    /// client-internal retry (<see cref="SendOp.Attempts"/> - 1), may have written one more. A payload at a
    /// single position that was read more than once is redelivery, which at-least-once delivery allows.
    /// </summary>
    private static void FindDuplicates(HistoryIndex index, AnomalyCollector anomalies)
    {
        foreach (var payload in index.PayloadOrder)
        {
            var sends = index.SendsOf(payload);
            var receives = index.ReceivesOf(payload);
            var positions = StoredPositions(sends, receives);
            if (positions.Count > 1)
            {
                var possibleCopies = PossibleCopies(sends);
                var kind = positions.Count <= possibleCopies
                    ? AnomalyKind.DuplicateExplained
                    : AnomalyKind.DuplicateUnexplained;
                anomalies.Add(kind, payload,
                    $"stored at {string.Join(", ", positions)}; {sends.Count} send(s) could write {possibleCopies} cop(ies): "
                    + string.Join(", ", sends.Select(s => s.Attempts > 1 ? $"{Outcome(s)}x{s.Attempts}" : Outcome(s))));
            }
            else if (receives.Count > 1)
            {
                anomalies.Add(AnomalyKind.DuplicateRedelivery, payload,
                    $"offset {positions.FirstOrDefault()} delivered {receives.Count}x to {string.Join(", ", receives.Select(r => r.Consumer).Distinct())}");
            }
        }
    }

    /// <summary>
    /// One broker/queue/offset observed (acked or read) with more than one payload. Acks and reads of expected
    /// losses are left out: after an ASYNC_FLUSH power loss their offsets are legitimately assigned again.
    /// </summary>
    private static void FindInconsistentOffsets(HistoryIndex index, HashSet<string> expectedLosses, AnomalyCollector anomalies)
    {
        var byPosition = new Dictionary<QueuePosition, List<string>>();
        var order = new List<QueuePosition>();
        void Observe(QueuePosition position, string payload)
        {
            if (!byPosition.TryGetValue(position, out var payloads))
            {
                payloads = [];
                byPosition[position] = payloads;
                order.Add(position);
            }

            if (!payloads.Contains(payload, StringComparer.Ordinal))
            {
                payloads.Add(payload);
            }
        }

        foreach (var send in index.Sends)
        {
            if (send.Outcome == SendOutcome.Acknowledged && send.Position is { } position && !expectedLosses.Contains(send.PayloadId))
            {
                Observe(position, send.PayloadId);
            }
        }

        foreach (var receive in index.Receives)
        {
            if (!expectedLosses.Contains(receive.Op.PayloadId))
            {
                Observe(receive.Op.Position, receive.Op.PayloadId);
            }
        }

        foreach (var position in order.OrderBy(p => p.Broker, StringComparer.Ordinal).ThenBy(p => p.QueueId).ThenBy(p => p.QueueOffset))
        {
            var payloads = byPosition[position];
            if (payloads.Count > 1)
            {
                anomalies.Add(AnomalyKind.InconsistentOffset, position.ToString(),
                    $"payloads {string.Join(", ", payloads)}");
            }
        }
    }

    private static List<QueuePosition> StoredPositions(IReadOnlyList<SendOp> sends, IReadOnlyList<ReceiveOp> receives)
    {
        var positions = new List<QueuePosition>();
        foreach (var send in sends)
        {
            if (send.Outcome == SendOutcome.Acknowledged && send.Position is { } position && !positions.Contains(position))
            {
                positions.Add(position);
            }
        }

        foreach (var receive in receives)
        {
            if (!positions.Contains(receive.Position))
            {
                positions.Add(receive.Position);
            }
        }

        return positions;
    }

    private static int PossibleCopies(IReadOnlyList<SendOp> sends)
    {
        var okAttempts = sends.Count(s => s.Outcome == SendOutcome.Acknowledged);
        var ambiguous = sends.Count(s => s.Outcome != SendOutcome.Acknowledged);
        var internalRetries = sends.Sum(s => Math.Max(0, s.Attempts - 1));
        return okAttempts + ambiguous + internalRetries;
    }

    private static string Outcome(SendOp send) => HistoryOutcome.Name(send.Outcome);
}
