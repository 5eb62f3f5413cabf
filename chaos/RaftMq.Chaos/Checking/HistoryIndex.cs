using RaftMq.Chaos.History;

namespace RaftMq.Chaos.Checking;

/// <summary>The lookups every analysis needs, built once from a history.</summary>
internal sealed class HistoryIndex
{
    private HistoryIndex(IReadOnlyList<HistoryOp> ops)
    {
        var sequence = 0;
        var sends = new List<SendOp>();
        foreach (var op in ops)
        {
            EndUs = Math.Max(EndUs, op is SendOp completed ? completed.CompleteUs : op.OrderUs);
            switch (op)
            {
                case SendOp send:
                    sends.Add(send);
                    AddTo(SendsByPayload, send.PayloadId, send);
                    NotePayload(send.PayloadId);
                    break;
                case ReceiveOp receive:
                    Receives.Add(new OrderedReceive(receive, sequence++));
                    AddTo(ReceivesByPayload, receive.PayloadId, receive);
                    NotePayload(receive.PayloadId);
                    var queue = receive.Position.Queue;
                    MaxReadOffset[queue] = MaxReadOffset.TryGetValue(queue, out var max)
                        ? Math.Max(max, receive.QueueOffset)
                        : receive.QueueOffset;
                    break;
            }
        }

        Sends = [.. sends.OrderBy(s => s.InvokeUs)];
        Windows = FaultWindow.FromOps(ops);
    }

    /// <summary>A receive with its position in the history, to break time ties stably.</summary>
    internal readonly record struct OrderedReceive(ReceiveOp Op, int Sequence);

    /// <summary>Payload ids in order of first appearance, so examples are deterministic.</summary>
    public List<string> PayloadOrder { get; } = [];

    /// <summary>All sends by invoke time (stable for equal times).</summary>
    public IReadOnlyList<SendOp> Sends { get; }

    public List<OrderedReceive> Receives { get; } = [];

    public Dictionary<string, List<SendOp>> SendsByPayload { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, List<ReceiveOp>> ReceivesByPayload { get; } = new(StringComparer.Ordinal);

    public Dictionary<QueueRef, long> MaxReadOffset { get; } = [];

    public IReadOnlyList<FaultWindow> Windows { get; }

    public long EndUs { get; }

    public static HistoryIndex Build(IReadOnlyList<HistoryOp> ops) => new(ops);

    public IReadOnlyList<SendOp> SendsOf(string payloadId) =>
        SendsByPayload.TryGetValue(payloadId, out var sends) ? sends : [];

    public IReadOnlyList<ReceiveOp> ReceivesOf(string payloadId) =>
        ReceivesByPayload.TryGetValue(payloadId, out var receives) ? receives : [];

    /// <summary>
    /// The first ok attempt of a payload, if it was acknowledged and consumers must see it: the ack of a transaction the
    /// producer rolls back is no promise of delivery (see <see cref="SendOp.ExpectsDelivery"/>).
    /// </summary>
    public SendOp? FirstAck(string payloadId)
    {
        SendOp? first = null;
        foreach (var send in SendsOf(payloadId))
        {
            if (send.Outcome == SendOutcome.Acknowledged && send.ExpectsDelivery && (first is null || send.CompleteUs < first.CompleteUs))
            {
                first = send;
            }
        }

        return first;
    }

    private readonly HashSet<string> _seenPayloads = new(StringComparer.Ordinal);

    private void NotePayload(string payloadId)
    {
        if (_seenPayloads.Add(payloadId))
        {
            PayloadOrder.Add(payloadId);
        }
    }

    private static void AddTo<T>(Dictionary<string, List<T>> map, string key, T value)
    {
        if (!map.TryGetValue(key, out var list))
        {
            list = [];
            map[key] = list;
        }

        list.Add(value);
    }
}
