using System.Text.Json.Serialization;

namespace RaftMq.Chaos.History;

/// <summary>
/// One line of a chaos history file. Times are microseconds since the run started
/// (<see cref="HistoryClock"/>), so ops from every worker share one monotonic axis.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(SendOp), "send")]
[JsonDerivedType(typeof(ReceiveOp), "receive")]
[JsonDerivedType(typeof(FaultOp), "fault")]
[JsonDerivedType(typeof(NoteOp), "note")]
public abstract record HistoryOp
{
    /// <summary>The instant the op is ordered by on the timeline (invoke time for sends).</summary>
    [JsonIgnore]
    public abstract long OrderUs { get; }
}

/// <summary>Where a message sits: broker group, queue, and its offset in that queue.</summary>
public readonly record struct QueuePosition(string Broker, int QueueId, long QueueOffset)
{
    public QueueRef Queue => new(Broker, QueueId);

    public override string ToString() => $"{Broker}/{QueueId}@{QueueOffset}";
}

/// <summary>A queue of one broker group.</summary>
public readonly record struct QueueRef(string Broker, int QueueId)
{
    public override string ToString() => $"{Broker}/{QueueId}";
}

/// <summary>
/// One send attempt of a payload. A worker that retries after <c>info</c> or <c>fail</c> writes another
/// <see cref="SendOp"/> with the same payload id. <see cref="Attempts"/> counts broker round trips the
/// client made internally (RocketMQ producers retry by themselves); more than one can explain a duplicate.
/// A transactional send records its plan in <see cref="Transaction"/> (<c>commit</c>, <c>rollback</c>, <c>check-commit</c>,
/// <c>check-rollback</c>); its <c>ok</c> means the half message was stored (it has no position in the topic: the
/// committed message gets one later), and <see cref="EndError"/> says why END_TRANSACTION did not confirm the decision,
/// which the broker then learns by checking back.
/// </summary>
public sealed record SendOp(
    string Process,
    string Key,
    long Seq,
    string PayloadId,
    long InvokeUs,
    long CompleteUs,
    [property: JsonConverter(typeof(HistoryOutcomeJsonConverter))] SendOutcome Outcome,
    string? Broker = null,
    int? QueueId = null,
    long? QueueOffset = null,
    string? MsgId = null,
    int Attempts = 1,
    string? Error = null,
    string? Transaction = null,
    string? EndError = null) : HistoryOp
{
    [JsonIgnore]
    public override long OrderUs => InvokeUs;

    /// <summary>The acknowledged position, present on <c>ok</c> sends only.</summary>
    [JsonIgnore]
    public QueuePosition? Position =>
        Broker is not null && QueueId is { } queue && QueueOffset is { } offset
            ? new QueuePosition(Broker, queue, offset)
            : null;

    [JsonIgnore]
    public long LatencyUs => CompleteUs - InvokeUs;

    /// <summary>False for a transaction the producer rolls back: consumers must never see that payload.</summary>
    [JsonIgnore]
    public bool ExpectsDelivery => TransactionPlans.Commits(TransactionPlans.Parse(Transaction));
}

/// <summary>A message handed to a consumer of the group.</summary>
public sealed record ReceiveOp(
    string Consumer,
    string PayloadId,
    string Key,
    long Seq,
    string Broker,
    int QueueId,
    long QueueOffset,
    long TimeUs) : HistoryOp
{
    [JsonIgnore]
    public override long OrderUs => TimeUs;

    [JsonIgnore]
    public QueuePosition Position => new(Broker, QueueId, QueueOffset);
}

[JsonConverter(typeof(JsonStringEnumConverter<FaultPhase>))]
public enum FaultPhase
{
    [JsonStringEnumMemberName("start")] Start,
    [JsonStringEnumMemberName("stop")] Stop,
}

/// <summary>
/// A nemesis event. A fault window is a <c>start</c> and a <c>stop</c> op with the same
/// <see cref="Window"/> number; a start without a stop (killed harness) lasts until the history ends.
/// </summary>
public sealed record FaultOp(
    string Name,
    FaultPhase Phase,
    int Window,
    IReadOnlyList<string> Targets,
    long TimeUs,
    string? Detail = null) : HistoryOp
{
    [JsonIgnore]
    public override long OrderUs => TimeUs;
}

/// <summary>Free-form annotation; well-known texts carry run parameters (see <see cref="RunNotes"/>).</summary>
public sealed record NoteOp(
    string Text,
    long TimeUs,
    IReadOnlyDictionary<string, string>? Fields = null) : HistoryOp
{
    [JsonIgnore]
    public override long OrderUs => TimeUs;
}
