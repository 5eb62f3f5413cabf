using RaftMq.Client.Producer;
using RaftMq.Protocol.Messages;

namespace RaftMq.Client.Trace;

/// <summary>RocketMQ's MessageType ordinals as trace records carry them.</summary>
internal static class TraceMessageType
{
    public const int Normal = 0;
    public const int TransactionHalf = 1;
    public const int TransactionCommit = 2;
    public const int Delay = 3;

    public static int Of(Message message) =>
        message.GetProperty(MessageProperty.TransactionPrepared) == "true" ? TransactionHalf
        : message.DelayTimeLevel > 0 || message.DeliverAt is not null ? Delay
        : Normal;
}

/// <summary>What a Pub record says about one sent message, taken before the message is encoded.</summary>
internal readonly record struct TracedMessage(string Topic, string MsgId, string? Tags, string? Keys, int BodyLength, int MessageType)
{
    public static TracedMessage From(Message message, string msgId) =>
        new(message.Topic, msgId, message.Tags, message.Keys, message.Body.Length, TraceMessageType.Of(message));
}

/// <summary>
/// The producer side of message trace (RocketMQ's SendMessageTraceHookImpl): after every acknowledged send, one Pub
/// record per message with the producer group, broker address, round-trip cost and status. Sends to the trace topic
/// itself are not traced; neither are oneway sends (they have no result), as in the Java client.
/// </summary>
internal sealed class SendTracer
{
    private readonly TraceDispatcher _dispatcher;
    private readonly string _producerGroup;
    private readonly string _traceTopic;

    public SendTracer(TraceDispatcher dispatcher, string producerGroup, string traceTopic)
    {
        _dispatcher = dispatcher;
        _producerGroup = producerGroup;
        _traceTopic = traceTopic;
    }

    /// <summary>Whether sends to <paramref name="topic"/> are traced (not the trace topic's own records).</summary>
    public bool Traces(string topic) => !topic.StartsWith(_traceTopic, StringComparison.Ordinal);

    /// <summary>Records the acknowledged send of <paramref name="messages"/> (one, or a batch's in order).</summary>
    public void OnSent(IReadOnlyList<TracedMessage> messages, string brokerAddress, SendResult result, long startedUnixMs, long costMs)
    {
        // A broker that answers TRACE_ON=false asks clients not to trace (Java's sendMessageAfter skips it too).
        if (!result.TraceOn) return;
        // A batch's reply lists the offset ids comma-joined, one per message in order.
        string[]? offsetIds = messages.Count > 1 ? result.OffsetMsgId.Split(',') : null;
        for (int i = 0; i < messages.Count; i++)
        {
            var message = messages[i];
            _dispatcher.Append(new TraceRecord
            {
                Type = TraceType.Pub,
                Timestamp = startedUnixMs,
                RegionId = result.RegionId ?? TraceNames.DefaultRegion,
                GroupName = _producerGroup,
                Topic = message.Topic,
                MsgId = message.MsgId,
                Tags = message.Tags,
                Keys = message.Keys,
                StoreHost = brokerAddress,
                BodyLength = message.BodyLength,
                CostTime = (int)Math.Min(costMs, int.MaxValue),
                MessageType = message.MessageType,
                OffsetMsgId = offsetIds?.Length == messages.Count ? offsetIds[i] : result.OffsetMsgId,
                Success = result.Status == SendStatus.SendOk,
            });
        }
    }

    /// <summary>Records a transaction the broker accepted an END_TRANSACTION for (RocketMQ's EndTransactionTraceHookImpl):
    /// one EndTransaction record with the decision, whether a check-back made it, and the commit message type.</summary>
    public void OnTransactionEnded(EndedTransaction ended)
    {
        var message = ended.Message;
        if (!Traces(message.Topic)) return;
        string? region = message.GetProperty(MessageProperty.MsgRegion);
        _dispatcher.Append(new TraceRecord
        {
            Type = TraceType.EndTransaction,
            Timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            RegionId = string.IsNullOrEmpty(region) ? TraceNames.DefaultRegion : region,
            GroupName = _producerGroup,
            Topic = message.Topic,
            MsgId = ended.MsgId,
            Tags = message.Tags,
            Keys = message.Keys,
            StoreHost = ended.BrokerAddress,
            MessageType = TraceMessageType.TransactionCommit,
            TransactionId = ended.TransactionId,
            TransactionState = ended.State switch
            {
                LocalTransactionState.CommitMessage => "COMMIT_MESSAGE",
                LocalTransactionState.RollbackMessage => "ROLLBACK_MESSAGE",
                _ => "UNKNOW", // RocketMQ's spelling
            },
            FromTransactionCheck = ended.FromTransactionCheck,
        });
    }
}

/// <summary>What an EndTransaction record says about the transaction a producer just ended.</summary>
/// <param name="Message">The transactional message (its topic, tags, keys and region).</param>
/// <param name="MsgId">The message's id (UNIQ_KEY).</param>
/// <param name="TransactionId">The transaction id sent in END_TRANSACTION.</param>
/// <param name="BrokerAddress">The broker that took the END_TRANSACTION.</param>
/// <param name="State">The decision sent.</param>
/// <param name="FromTransactionCheck">Whether it answered the broker's check-back.</param>
internal readonly record struct EndedTransaction(Message Message, string MsgId, string? TransactionId, string BrokerAddress,
    LocalTransactionState State, bool FromTransactionCheck);

/// <summary>Names the trace records use.</summary>
public static class TraceNames
{
    /// <summary>Region written when the broker reported none (RocketMQ's default regionId).</summary>
    public const string DefaultRegion = "DefaultRegion";
}
