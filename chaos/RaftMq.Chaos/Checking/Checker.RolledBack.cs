using RaftMq.Chaos.History;

namespace RaftMq.Chaos.Checking;

public static partial class Checker
{
    /// <summary>
    /// Under ASYNC_FLUSH a power loss may drop entries that were committed, acknowledged and even read already: every
    /// replica restarts with a shorter log and the same queue offsets go to later messages. An acked payload is rolled
    /// back when a position it was acked or read at later holds another payload first observed after a power loss
    /// started, and its ack lies in that power loss's exposure window. Such payloads are expected losses like unread
    /// ones; they join <paramref name="expected"/>, so the offset and order checks leave them out. Under SYNC_FLUSH, or
    /// with the ack outside every exposure window, nothing is excused and the reuse shows as an inconsistent offset.
    /// </summary>
    private static void FindRolledBack(HistoryIndex index, CheckOptions options, HashSet<string> expected, AnomalyCollector anomalies)
    {
        if (options.FlushDiskType != FlushDiskType.AsyncFlush)
        {
            return;
        }

        var powerLosses = index.Windows.Where(w => w.Name == options.PowerLossFaultName).ToList();
        if (powerLosses.Count == 0)
        {
            return;
        }

        var firstSeen = FirstObservations(index);
        foreach (var payload in index.PayloadOrder)
        {
            if (expected.Contains(payload) || index.FirstAck(payload) is not { } ack)
            {
                continue;
            }

            foreach (var window in powerLosses.Where(w => IsExposed(ack.CompleteUs, w, index.EndUs, options)))
            {
                var reuse = StoredPositions(index.SendsOf(payload), index.ReceivesOf(payload))
                    .SelectMany(position => firstSeen[position]
                        .Where(other => other.Payload != payload && other.FirstUs >= window.StartUs)
                        .Select(other => (Position: position, other.Payload)))
                    .FirstOrDefault();
                if (reuse.Payload is not null)
                {
                    expected.Add(payload);
                    anomalies.Add(AnomalyKind.ExpectedLoss, payload,
                        $"acked at {ack.Position}, read {index.ReceivesOf(payload).Count}x; after the ASYNC_FLUSH power loss in window {window.Id} " +
                        $"{reuse.Position} holds {reuse.Payload}");
                    break;
                }
            }
        }
    }

    /// <summary>Per position, every payload observed there (acked or read) with the time it was first observed there.</summary>
    private static Dictionary<QueuePosition, List<(string Payload, long FirstUs)>> FirstObservations(HistoryIndex index)
    {
        var seen = new Dictionary<QueuePosition, List<(string Payload, long FirstUs)>>();
        void Observe(QueuePosition position, string payload, long timeUs)
        {
            if (!seen.TryGetValue(position, out var list))
            {
                list = [];
                seen[position] = list;
            }

            var at = list.FindIndex(e => e.Payload == payload);
            if (at < 0)
            {
                list.Add((payload, timeUs));
            }
            else if (timeUs < list[at].FirstUs)
            {
                list[at] = (payload, timeUs);
            }
        }

        foreach (var send in index.Sends)
        {
            if (send.Outcome == SendOutcome.Acknowledged && send.Position is { } position)
            {
                Observe(position, send.PayloadId, send.CompleteUs);
            }
        }

        foreach (var receive in index.Receives)
        {
            Observe(receive.Op.Position, receive.Op.PayloadId, receive.Op.TimeUs);
        }

        return seen;
    }
}
