namespace RaftMq.Client.Trace;

/// <summary>One acknowledged send of the message (a Pub record).</summary>
/// <param name="ProducerGroup">Producer group that sent it.</param>
/// <param name="ClientHost">Address of the producer (the trace message's born host).</param>
/// <param name="SendTime">When the send started.</param>
/// <param name="StoreHost">Broker address that stored it.</param>
/// <param name="CostMs">Send round trip in ms.</param>
/// <param name="Success">SEND_OK.</param>
/// <param name="Record">The record itself (topic, tags, keys, offset message id, message type).</param>
public sealed record SendTrace(string ProducerGroup, string ClientHost, DateTimeOffset SendTime, string StoreHost, int CostMs, bool Success, TraceRecord Record);

/// <summary>One delivery of the message to a consumer's handler: a SubBefore and, once the handler returned, its SubAfter.</summary>
/// <param name="ConsumerGroup">Consumer group that consumed it.</param>
/// <param name="ClientHost">Address of the consumer (the trace message's born host).</param>
/// <param name="ConsumeTime">When the handler was called.</param>
/// <param name="RetryTimes">Deliveries before this one (0 for the first).</param>
/// <param name="CostMs">Handler time per message in ms; null when no SubAfter was found (still running, or its record was lost).</param>
/// <param name="Success">Whether the handler consumed it; null without SubAfter.</param>
/// <param name="ReturnType">SUCCESS, TIME_OUT, EXCEPTION, RETURNNULL or FAILED; null without SubAfter.</param>
public sealed record ConsumeTrace(string ConsumerGroup, string ClientHost, DateTimeOffset ConsumeTime, int RetryTimes, int? CostMs, bool? Success,
    string? ReturnType);

/// <summary>The end of a transactional message's transaction (an EndTransaction record).</summary>
/// <param name="ProducerGroup">Producer group that ended it.</param>
/// <param name="ClientHost">Address of the producer (the trace message's born host).</param>
/// <param name="EndTime">When the producer recorded the end.</param>
/// <param name="StoreHost">Broker address that took the END_TRANSACTION.</param>
/// <param name="State">COMMIT_MESSAGE, ROLLBACK_MESSAGE or UNKNOW (RocketMQ's spelling).</param>
/// <param name="FromTransactionCheck">Whether it answered the broker's check-back.</param>
/// <param name="TransactionId">The transaction id.</param>
public sealed record TransactionEndTrace(string ProducerGroup, string ClientHost, DateTimeOffset EndTime, string StoreHost, string State,
    bool FromTransactionCheck, string? TransactionId);

/// <summary>
/// A message's life as its trace records tell it: sends, transaction ends, then deliveries in time order (retries included). SubAfter
/// records carry no group in RocketMQ's format; they are paired with their SubBefore by request id.
/// </summary>
public sealed record MessageTraceView(string MsgId, IReadOnlyList<SendTrace> Sends, IReadOnlyList<ConsumeTrace> Consumes)
{
    /// <summary>The ends of its transaction (a transactional message has one, plus any answered check-backs), in time order.</summary>
    public IReadOnlyList<TransactionEndTrace> TransactionEnds { get; init; } = [];

    private static readonly string[] ReturnTypes = ["SUCCESS", "TIME_OUT", "EXCEPTION", "RETURNNULL", "FAILED"];

    /// <summary>Whether any record of the message was found.</summary>
    public bool IsEmpty => Sends.Count == 0 && Consumes.Count == 0 && TransactionEnds.Count == 0;

    /// <summary>Builds the view of <paramref name="msgId"/> from decoded records and the client host of the trace message each came in.</summary>
    public static MessageTraceView Build(string msgId, IEnumerable<(TraceRecord Record, string ClientHost)> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var sends = new List<SendTrace>();
        var ends = new List<TransactionEndTrace>();
        var before = new List<(TraceRecord Record, string ClientHost)>();
        var after = new Dictionary<string, TraceRecord>(StringComparer.Ordinal);
        foreach (var (record, host) in records)
        {
            if (record.MsgId != msgId) continue;
            switch (record.Type)
            {
                case TraceType.Pub:
                    sends.Add(new SendTrace(record.GroupName ?? "", host, Time(record.Timestamp), record.StoreHost ?? "", record.CostTime, record.Success, record));
                    break;
                case TraceType.SubBefore:
                    before.Add((record, host));
                    break;
                case TraceType.EndTransaction:
                    ends.Add(new TransactionEndTrace(record.GroupName ?? "", host, Time(record.Timestamp), record.StoreHost ?? "",
                        record.TransactionState ?? "", record.FromTransactionCheck, record.TransactionId));
                    break;
                case TraceType.SubAfter when record.RequestId is not null:
                    after[record.RequestId] = record;
                    break;
            }
        }
        var consumes = new List<ConsumeTrace>(before.Count);
        foreach (var (record, host) in before)
        {
            var done = record.RequestId is not null ? after.GetValueOrDefault(record.RequestId) : null;
            consumes.Add(new ConsumeTrace(record.GroupName ?? "", host, Time(record.Timestamp), record.RetryTimes, done?.CostTime, done?.Success,
                done is null ? null : done.ContextCode >= 0 && done.ContextCode < ReturnTypes.Length ? ReturnTypes[done.ContextCode] : done.ContextCode.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
        sends.Sort((a, b) => a.SendTime.CompareTo(b.SendTime));
        ends.Sort((a, b) => a.EndTime.CompareTo(b.EndTime));
        consumes.Sort((a, b) => a.RetryTimes != b.RetryTimes ? a.RetryTimes.CompareTo(b.RetryTimes) : a.ConsumeTime.CompareTo(b.ConsumeTime));
        return new MessageTraceView(msgId, sends, consumes) { TransactionEnds = ends };
    }

    private static DateTimeOffset Time(long unixMs) => DateTimeOffset.FromUnixTimeMilliseconds(Math.Max(0, unixMs));
}
