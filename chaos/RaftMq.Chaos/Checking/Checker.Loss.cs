using RaftMq.Chaos.History;

namespace RaftMq.Chaos.Checking;

public static partial class Checker
{
    /// <summary>
    /// Acked payloads that were never read. Lost when a later offset of the same queue was read (the reader
    /// went past it), unseen otherwise; under ASYNC_FLUSH either becomes expected loss when the ack falls in
    /// a power-loss exposure window, and a skipped payload also when it was acked after a power loss at an offset
    /// that consumers had read past before it (the loss rolled their queue back under them). Returns the expected losses: their acked offsets may legitimately be
    /// reused by later messages, so the offset and order checks leave them out.
    /// </summary>
    private static HashSet<string> FindLosses(HistoryIndex index, CheckOptions options, AnomalyCollector anomalies)
    {
        var expected = new HashSet<string>(StringComparer.Ordinal);
        var powerLosses = options.FlushDiskType == FlushDiskType.AsyncFlush
            ? index.Windows.Where(w => w.Name == options.PowerLossFaultName).ToList()
            : [];
        foreach (var payload in index.PayloadOrder)
        {
            var ack = index.FirstAck(payload);
            if (ack is null || index.ReceivesOf(payload).Count > 0)
            {
                continue;
            }

            var skippedAt = SkippedPosition(index, payload);
            var what = skippedAt is { } position
                ? $"acked at {position}, queue read up to offset {index.MaxReadOffset[position.Queue]}"
                : $"acked at {ack.Position}, never read";
            var exposure = powerLosses.FirstOrDefault(w => IsExposed(ack.CompleteUs, w, index.EndUs, options));
            var passedBefore = skippedAt is { } skipped ? powerLosses.FirstOrDefault(w => WasReachedBefore(index, skipped, w, ack.CompleteUs)) : null;
            if (exposure is not null)
            {
                expected.Add(payload);
                anomalies.Add(AnomalyKind.ExpectedLoss, payload,
                    $"{what}; ASYNC_FLUSH power loss in window {exposure.Id}");
            }
            else if (passedBefore is not null)
            {
                expected.Add(payload);
                anomalies.Add(AnomalyKind.ExpectedLoss, payload,
                    $"{what}; acked after the ASYNC_FLUSH power loss in window {passedBefore.Id} rolled the queue back below offsets " +
                    "it had reached, so consumers that had pulled that far skip the refilled offsets");
            }
            else if (ack.Transaction is not null)
            {
                // A committed transaction has no acked position in the topic: "lost" cannot be told from "unseen".
                anomalies.Add(AnomalyKind.CommittedMissing, payload,
                    $"key {ack.Key} seq {ack.Seq}: half message {ack.MsgId} acked, transaction {ack.Transaction}{(ack.EndError is null ? "" : $" (END not confirmed: {ack.EndError})")}, never read");
            }
            else
            {
                anomalies.Add(skippedAt is null ? AnomalyKind.Unseen : AnomalyKind.Lost, payload, $"key {ack.Key} seq {ack.Seq}: {what}");
            }
        }

        return expected;
    }

    /// <summary>The acked position of the payload that a consumer read past, if any.</summary>
    private static QueuePosition? SkippedPosition(HistoryIndex index, string payload)
    {
        foreach (var send in index.SendsOf(payload))
        {
            if (send.Position is { } position
                && index.MaxReadOffset.TryGetValue(position.Queue, out var maxRead)
                && maxRead > position.QueueOffset)
            {
                return position;
            }
        }

        return null;
    }

    /// <summary>
    /// True when the payload was acked after <paramref name="window"/> started at an offset its queue had already
    /// reached by the time the power loss ended (acked or read there; the fault's start is recorded a little before
    /// the nodes are actually down): the power loss cut the queue below that offset, later messages refill
    /// it, and a consumer that had pulled that far never goes back for them (RocketMQ semantics under ASYNC_FLUSH;
    /// the pull may be handled later, e.g. by an orderly consumer waiting for its queue lock).
    /// </summary>
    private static bool WasReachedBefore(HistoryIndex index, QueuePosition position, FaultWindow window, long ackUs)
    {
        if (ackUs < window.StartUs)
        {
            return false;
        }

        var end = window.EndUs(index.EndUs);
        foreach (var send in index.Sends)
        {
            if (send.Outcome == SendOutcome.Acknowledged && send.CompleteUs <= end && send.Position is { } acked
                && acked.Queue == position.Queue && acked.QueueOffset >= position.QueueOffset)
            {
                return true;
            }
        }

        foreach (var receive in index.Receives)
        {
            var read = receive.Op;
            if (read.TimeUs <= end && read.Position.Queue == position.Queue && read.Position.QueueOffset >= position.QueueOffset)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsExposed(long ackUs, FaultWindow window, long historyEndUs, CheckOptions options)
    {
        var from = window.StartUs - (long)options.PowerLossExposure.TotalMicroseconds;
        return ackUs >= from && ackUs <= window.EndUs(historyEndUs);
    }
}
