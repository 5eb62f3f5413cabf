namespace RaftMq.Protocol.Messages;

/// <summary>The fixed-size fields of a stored message record; BODYCRC is computed by the encoder.</summary>
public record struct StoredMessageFields
{
    public int QueueId { get; set; }

    /// <summary>User flag from the send header.</summary>
    public int Flag { get; set; }

    public long QueueOffset { get; set; }

    public long PhysicalOffset { get; set; }

    /// <summary><see cref="Codes.MessageSysFlag"/> bits; the IPv6 host bits must be clear.</summary>
    public int SysFlag { get; set; }

    public long BornTimestamp { get; set; }

    public MessageHost BornHost { get; set; }

    public long StoreTimestamp { get; set; }

    public MessageHost StoreHost { get; set; }

    public int ReconsumeTimes { get; set; }

    public long PreparedTransactionOffset { get; set; }
}
