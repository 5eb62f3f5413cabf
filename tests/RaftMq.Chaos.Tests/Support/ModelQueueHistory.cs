using RaftMq.Chaos.History;

namespace RaftMq.Chaos.Tests.Support;

/// <summary>What one send step does to the model queue.</summary>
public enum ModelSendKind
{
    Ok,
    Fail,
    InfoStored,
    InfoNotStored,
    InfoStoredThenRetryOk,
}

/// <summary>One generated step: a new seq of a key, how its send ends, and whether the consumer rewinds after reading it.</summary>
public sealed record ModelStep(int KeyIndex, ModelSendKind Kind, bool RewindAfterRead);

/// <summary>
/// Turns a script of steps into a history that a correct broker could produce: a model of queues where
/// ok and stored-info sends append, fail and unstored-info sends do not, keys map to fixed queues (ordered
/// sends), and a consumer that reads every queue to its end in offset order, sometimes rewinding two
/// offsets (redelivery). Every such history is valid.
/// </summary>
internal static class ModelQueueHistory
{
    private const int QueueCount = 2;

    public static IReadOnlyList<HistoryOp> Build(IReadOnlyList<ModelStep> steps)
    {
        var h = new HistoryBuilder();
        var queues = Enumerable.Range(0, QueueCount).Select(_ => new List<(string Payload, string Key, long Seq, bool Rewind)>()).ToArray();
        var seqByKey = new Dictionary<string, long>();
        for (var i = 0; i < steps.Count; i++)
        {
            var step = steps[i];
            var key = $"k{step.KeyIndex}";
            var seq = seqByKey[key] = seqByKey.GetValueOrDefault(key) + 1;
            var queueId = step.KeyIndex % QueueCount;
            var queue = queues[queueId];
            var payload = $"m{i}";
            void Store() => queue.Add((payload, key, seq, step.RewindAfterRead));
            switch (step.Kind)
            {
                case ModelSendKind.Ok:
                    h.Ok(payload, key, seq, queue.Count, queueId);
                    Store();
                    break;
                case ModelSendKind.Fail:
                    h.Fail(payload, key, seq);
                    break;
                case ModelSendKind.InfoStored:
                    Store();
                    h.Info(payload, key, seq);
                    break;
                case ModelSendKind.InfoNotStored:
                    h.Info(payload, key, seq);
                    break;
                case ModelSendKind.InfoStoredThenRetryOk:
                    Store();
                    h.Info(payload, key, seq);
                    h.Ok(payload, key, seq, queue.Count, queueId);
                    Store();
                    break;
            }
        }

        for (var queueId = 0; queueId < QueueCount; queueId++)
        {
            Consume(h, queues[queueId], queueId);
        }

        return h.Ops;
    }

    private static void Consume(HistoryBuilder h, List<(string Payload, string Key, long Seq, bool Rewind)> queue, int queueId)
    {
        var rewound = new HashSet<int>();
        for (var offset = 0; offset < queue.Count; offset++)
        {
            var entry = queue[offset];
            h.Receive(entry.Payload, entry.Key, entry.Seq, offset, queueId);
            if (entry.Rewind && rewound.Add(offset))
            {
                offset = Math.Max(-1, offset - 3);
            }
        }
    }
}
