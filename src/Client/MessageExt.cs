using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Messages;

namespace RaftMq.Client;

/// <summary>A consumed message with everything the broker stored about it.</summary>
public sealed class MessageExt : Message
{
    internal MessageExt()
    {
    }

    /// <summary>Why the stored body could not be decoded (e.g. marked zlib but not zlib data); null when it could.
    /// A push consumer never hands such a message to the application: it moves it to the group's DLQ.</summary>
    internal string? UndecodableReason { get; set; }

    /// <summary>Broker group the message was pulled from.</summary>
    public string BrokerName { get; internal set; } = "";

    /// <summary>Queue id within <see cref="Message.Topic"/> on <see cref="BrokerName"/>.</summary>
    public int QueueId { get; internal set; }

    /// <summary>Logical offset within the queue.</summary>
    public long QueueOffset { get; internal set; }

    /// <summary>CommitLog physical offset (the broker's lookup key for send-back and VIEW_MESSAGE_BY_ID).</summary>
    public long CommitLogOffset { get; internal set; }

    /// <summary>The producer's id (UNIQ_KEY), or <see cref="OffsetMsgId"/> when the producer set none.</summary>
    public string MsgId => GetProperty(MessageProperty.UniqueClientMessageIdKeyIndex) ?? OffsetMsgId;

    /// <summary>The broker's id: store host plus CommitLog offset.</summary>
    public string OffsetMsgId { get; internal set; } = "";

    /// <summary>When the producer created it (Unix ms).</summary>
    public long BornTimestamp { get; internal set; }

    /// <summary>When the broker stored it (Unix ms).</summary>
    public long StoreTimestamp { get; internal set; }

    /// <summary>"ip:port" of the producer.</summary>
    public string BornHost { get; internal set; } = "";

    /// <summary>"ip:port" of the broker that stored it.</summary>
    public string StoreHost { get; internal set; } = "";

    /// <summary>How many times this message was already handed back for redelivery.</summary>
    public int ReconsumeTimes { get; internal set; }

    /// <summary>The stored system flag bits.</summary>
    public int SysFlag { get; internal set; }

    /// <summary>Size of the stored record in bytes.</summary>
    public int StoreSize { get; internal set; }

    /// <summary>The queue this message came from.</summary>
    public MessageQueue Queue => new() { Topic = Topic, BrokerName = BrokerName, QueueId = QueueId };

    internal void SetSystemProperty(string name, string value) => SetProperty(name, value);

    /// <inheritdoc />
    public override string ToString() =>
        $"MessageExt[topic={Topic}, broker={BrokerName}, queue={QueueId}, offset={QueueOffset}, msgId={MsgId}, tags={Tags}, reconsume={ReconsumeTimes}]";
}
