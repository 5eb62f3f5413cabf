using RaftMq.Chaos.History;

namespace RaftMq.Chaos.Checking;

public static partial class Checker
{
    /// <summary>
    /// Acked payloads that were never read. Lost when a later offset of the same queue was read (the reader
    /// went past it), unseen otherwise; under ASYNC_FLUSH either becomes expected loss when the ack falls in
    /// a power-loss exposure window. Returns the expected losses: their acked offsets may legitimately be
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
            if (exposure is not null)
            {
                expected.Add(payload);
                anomalies.Add(AnomalyKind.ExpectedLoss, payload,
                    $"{what}; ASYNC_FLUSH power loss in window {exposure.Id}");
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

    private static bool IsExposed(long ackUs, FaultWindow window, long historyEndUs, CheckOptions options)
    {
        var from = window.StartUs - (long)options.PowerLossExposure.TotalMicroseconds;
        return ackUs >= from && ackUs <= window.EndUs(historyEndUs);
    }
}
