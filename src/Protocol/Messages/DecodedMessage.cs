using RaftMq.Protocol.Codes;

namespace RaftMq.Protocol.Messages;

/// <summary>
/// A stored message copied out of its record (what a client hands to user code, like Java's MessageExt).
/// </summary>
public sealed class DecodedMessage
{
    public required string Topic { get; init; }

    public required int QueueId { get; init; }

    public required int Flag { get; init; }

    public required long QueueOffset { get; init; }

    public required long PhysicalOffset { get; init; }

    public required int SysFlag { get; init; }

    public required long BornTimestamp { get; init; }

    public required MessageHost BornHost { get; init; }

    public required long StoreTimestamp { get; init; }

    public required MessageHost StoreHost { get; init; }

    public required int ReconsumeTimes { get; init; }

    public required long PreparedTransactionOffset { get; init; }

    public required int BodyCrc { get; init; }

    public required int StoreSize { get; init; }

    /// <summary>The body as stored (still compressed when <see cref="MessageSysFlag.Compressed"/> is set).</summary>
    public required byte[] Body { get; init; }

    public required StringMap Properties { get; init; }

    /// <summary>Broker-computed id from store host + physical offset (§9).</summary>
    public string OffsetMsgId => OffsetMessageId.Create(StoreHost, PhysicalOffset);

    /// <summary>The client id (UNIQ_KEY) when the producer set one, else <see cref="OffsetMsgId"/> (Java's MessageExt.getMsgId).</summary>
    public string MsgId => Properties[MessageProperty.UniqueClientMessageIdKeyIndex] ?? OffsetMsgId;

    public string? Tags => Properties[MessageProperty.Tags];

    public string? Keys => Properties[MessageProperty.Keys];

    public bool IsCompressed => MessageSysFlag.IsCompressed(SysFlag);

    internal static DecodedMessage From(StoredMessageView view) => new()
    {
        Topic = view.Topic,
        QueueId = view.QueueId,
        Flag = view.Flag,
        QueueOffset = view.QueueOffset,
        PhysicalOffset = view.PhysicalOffset,
        SysFlag = view.SysFlag,
        BornTimestamp = view.BornTimestamp,
        BornHost = view.BornHost,
        StoreTimestamp = view.StoreTimestamp,
        StoreHost = view.StoreHost,
        ReconsumeTimes = view.ReconsumeTimes,
        PreparedTransactionOffset = view.PreparedTransactionOffset,
        BodyCrc = view.BodyCrc,
        StoreSize = view.TotalSize,
        Body = view.Body.ToArray(),
        Properties = MessageProperties.Parse(view.PropertiesUtf8),
    };

    /// <summary>Decodes every record of a pull/query body.</summary>
    public static List<DecodedMessage> DecodeAll(ReadOnlySpan<byte> body)
    {
        var messages = new List<DecodedMessage>();
        foreach (var view in StoredMessageView.ReadAll(body)) messages.Add(From(view));
        return messages;
    }
}
