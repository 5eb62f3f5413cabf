using RaftMq.Client;
using RaftMq.Client.Consumer;
using RaftMq.Protocol.Messages;

namespace RaftMq.Dashboard.Cluster;

/// <summary>Message lookups beyond the admin client: by store time over every queue of a topic (pulled without committing),
/// and resending a stored message to a consumer group through its retry topic.</summary>
public static class MessageQueries
{
    /// <summary>Upper bound of messages one time-range query returns (and pulls per queue).</summary>
    public const int MaxMessages = 64;

    private const int PullBatch = 32;

    /// <summary>Properties that steer delivery of the original and must not follow a resent copy.</summary>
    private static readonly HashSet<string> NotCopied = new(StringComparer.Ordinal)
    {
        MessageProperty.UniqueClientMessageIdKeyIndex, MessageProperty.MinOffset, MessageProperty.MaxOffset, MessageProperty.ReconsumeTime,
        MessageProperty.MaxReconsumeTimes, MessageProperty.DelayTimeLevel, MessageProperty.RealTopic, MessageProperty.RealQueueId,
        MessageProperty.TransactionPrepared, MessageProperty.TransactionPreparedQueueOffset, MessageProperty.RetryTopic, MessageProperty.ConsumeStartTimestamp,
        MessageProperty.StartDeliverTime, MessageProperty.WaitStoreMsgOk,
    };

    /// <summary>Messages stored in [<paramref name="begin"/>, <paramref name="end"/>), oldest first per queue, at most <see cref="MaxMessages"/>.</summary>
    public static async Task<IReadOnlyList<MessageExt>> ByTimeAsync(ClusterGateway cluster, string topic, DateTimeOffset begin, DateTimeOffset end,
        CancellationToken cancellationToken)
    {
        var consumer = await cluster.PullConsumerAsync(cancellationToken).ConfigureAwait(false);
        var result = new List<MessageExt>();
        foreach (var queue in await consumer.FetchSubscribeMessageQueuesAsync(topic, cancellationToken).ConfigureAwait(false))
        {
            long offset = await consumer.SearchOffsetAsync(queue, begin, cancellationToken).ConfigureAwait(false);
            long stop = await consumer.SearchOffsetAsync(queue, end, cancellationToken).ConfigureAwait(false);
            while (offset <= stop && result.Count < MaxMessages)
            {
                var pulled = await consumer.PullAsync(queue, "*", offset, PullBatch, cancellationToken).ConfigureAwait(false);
                if (pulled.Status != PullStatus.Found || pulled.NextBeginOffset <= offset) break;
                result.AddRange(pulled.Messages.Where(m => m.StoreTimestamp >= begin.ToUnixTimeMilliseconds() && m.StoreTimestamp < end.ToUnixTimeMilliseconds())
                    .Take(MaxMessages - result.Count));
                offset = pulled.NextBeginOffset;
            }
            if (result.Count >= MaxMessages) break;
        }
        return result;
    }

    /// <summary>
    /// Sends a copy of <paramref name="message"/> to <c>%RETRY%group</c> with RETRY_TOPIC naming its original topic, so the
    /// group's consumers (and only them) receive it again as that topic's message. A DLQ message keeps its recorded origin.
    /// </summary>
    public static async Task<SendResult> ResendToGroupAsync(ClusterGateway cluster, MessageExt message, string group, CancellationToken cancellationToken)
    {
        string original = message.GetProperty(MessageProperty.RetryTopic) ?? message.Topic;
        var copy = new Message(SystemNames.RetryTopic(group), message.Body);
        foreach (var (name, value) in message.Properties)
        {
            if (!NotCopied.Contains(name)) copy.SetProperty(name, value);
        }
        copy.SetProperty(MessageProperty.RetryTopic, original);
        copy.SetProperty(MessageProperty.OriginMessageId, message.MsgId);
        var producer = await cluster.ProducerAsync(cancellationToken).ConfigureAwait(false);
        return await producer.SendAsync(copy, cancellationToken).ConfigureAwait(false);
    }
}
