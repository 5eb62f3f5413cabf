using RaftMq.Chaos.History;

namespace RaftMq.Chaos.Checking;

public static partial class Checker
{
    /// <summary>
    /// Per-key order, for the acked sends of each key (payloads with an ok attempt), taken in seq order:
    /// <list type="number">
    /// <item>Storage: two acked sends of a key stored in the same queue must have offsets increasing with seq.</item>
    /// <item>Delivery: take the key's receives ordered by time (history order on ties) and keep only each
    /// payload's first delivery, so redelivery after a rewind or rebalance (which repeats a suffix already
    /// seen) cannot hide or fake a violation. Restricted to acked payloads, this sequence must be increasing
    /// in seq, i.e. the acked sends are a subsequence of it in the same order. Each acked payload first
    /// delivered after one with a higher seq is one violation. Unread acked payloads are reported as lost or
    /// unseen, not here; unacked (info) payloads may appear anywhere.</item>
    /// </list>
    /// Expected losses (ASYNC_FLUSH power loss) are left out: their offsets may be reused.
    /// </summary>
    private static void FindOrderViolations(HistoryIndex index, HashSet<string> expectedLosses, AnomalyCollector anomalies)
    {
        var ackedByKey = new SortedDictionary<string, List<SendOp>>(StringComparer.Ordinal);
        foreach (var payload in index.PayloadOrder)
        {
            if (index.FirstAck(payload) is { } ack && !expectedLosses.Contains(payload))
            {
                if (!ackedByKey.TryGetValue(ack.Key, out var acks))
                {
                    acks = [];
                    ackedByKey[ack.Key] = acks;
                }

                acks.Add(ack);
            }
        }

        foreach (var (key, acks) in ackedByKey)
        {
            acks.Sort((a, b) => a.Seq.CompareTo(b.Seq));
            FindStorageOrderViolations(key, acks, anomalies);
        }

        FindDeliveryOrderViolations(index, ackedByKey, expectedLosses, anomalies);
    }

    private static void FindStorageOrderViolations(string key, List<SendOp> acksBySeq, AnomalyCollector anomalies)
    {
        var lastByQueue = new Dictionary<QueueRef, SendOp>();
        foreach (var ack in acksBySeq)
        {
            if (ack.Position is not { } position)
            {
                continue;
            }

            if (lastByQueue.TryGetValue(position.Queue, out var previous) && previous.QueueOffset >= position.QueueOffset)
            {
                anomalies.Add(AnomalyKind.OrderViolation, key,
                    $"stored out of order: seq {ack.Seq} at offset {position.QueueOffset} not after seq {previous.Seq} at offset {previous.QueueOffset} in {position.Queue}");
            }

            lastByQueue[position.Queue] = ack;
        }
    }

    private static void FindDeliveryOrderViolations(
        HistoryIndex index, SortedDictionary<string, List<SendOp>> ackedByKey, HashSet<string> expectedLosses, AnomalyCollector anomalies)
    {
        var delivered = new HashSet<string>(StringComparer.Ordinal);
        var highestSeqByKey = new Dictionary<string, long>(StringComparer.Ordinal);
        var firstDeliveries = index.Receives
            .OrderBy(r => r.Op.TimeUs)
            .ThenBy(r => r.Sequence)
            .Select(r => r.Op)
            .Where(r => ackedByKey.ContainsKey(r.Key) && index.FirstAck(r.PayloadId) is not null
                && !expectedLosses.Contains(r.PayloadId) && delivered.Add(r.PayloadId));
        foreach (var receive in firstDeliveries)
        {
            var seq = index.FirstAck(receive.PayloadId)!.Seq;
            if (highestSeqByKey.TryGetValue(receive.Key, out var highest) && seq < highest)
            {
                anomalies.Add(AnomalyKind.OrderViolation, receive.Key,
                    $"delivered out of order: seq {seq} ({receive.PayloadId}) first delivered to {receive.Consumer} after seq {highest}");
            }
            else
            {
                highestSeqByKey[receive.Key] = seq;
            }
        }
    }
}
