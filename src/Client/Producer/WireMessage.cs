namespace RaftMq.Client.Producer;

/// <summary>A message (or batch) in wire form, prepared once and sent by every attempt unchanged.</summary>
internal sealed record WireMessage
{
    public required string Topic { get; init; }

    /// <summary>Body as sent: compressed single body, or the concatenated batch encoding.</summary>
    public required byte[] Body { get; init; }

    public required int SysFlag { get; init; }

    public required int Flag { get; init; }

    /// <summary>Encoded properties (\u0001/\u0002 form); for a batch, the shared properties (none).</summary>
    public required string? Properties { get; init; }

    /// <summary>UNIQ_KEY ids, one per message (comma-joined into SendResult.MsgId for a batch).</summary>
    public required string MsgId { get; init; }

    public bool IsBatch { get; init; }

    /// <summary>Header j/l, only for messages sent straight to a %RETRY% topic.</summary>
    public int? ReconsumeTimes { get; init; }

    public int? MaxReconsumeTimes { get; init; }

    /// <summary>With message trace on: what the Pub record of each message says (null when the send is not traced).</summary>
    public IReadOnlyList<Trace.TracedMessage>? Traced { get; init; }
}
