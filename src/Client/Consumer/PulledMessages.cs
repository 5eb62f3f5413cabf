using System.Globalization;
using RaftMq.Client.Instance;
using RaftMq.Protocol.Headers;
using RaftMq.Protocol.Messages;

namespace RaftMq.Client.Consumer;

/// <summary>Turns a pull response body into <see cref="MessageExt"/>s the way user code should see them.</summary>
internal static class PulledMessages
{
    /// <summary>
    /// Decodes every record, inflates compressed bodies, stamps MIN_OFFSET/MAX_OFFSET, drops messages whose tag the
    /// subscription does not accept, and for a retry topic restores the original topic (RETRY_TOPIC).
    /// </summary>
    public static List<MessageExt> Decode(
        ReadOnlySpan<byte> body, string brokerName, PullMessageResponseHeader header, SubscriptionExpression? filter, string? retryTopic)
    {
        var result = new List<MessageExt>();
        foreach (var view in StoredMessageView.ReadAll(body))
        {
            var decoded = view.ToDecodedMessage();
            if (filter is not null && !filter.Matches(decoded.Tags)) continue;
            result.Add(ToMessageExt(decoded, brokerName, header, retryTopic));
        }
        return result;
    }

    public static MessageExt ToMessageExt(DecodedMessage decoded, string brokerName, PullMessageResponseHeader? header, string? retryTopic)
    {
        var message = new MessageExt
        {
            Topic = decoded.Topic,
            Flag = decoded.Flag,
            BrokerName = brokerName,
            QueueId = decoded.QueueId,
            QueueOffset = decoded.QueueOffset,
            CommitLogOffset = decoded.PhysicalOffset,
            OffsetMsgId = decoded.OffsetMsgId,
            BornTimestamp = decoded.BornTimestamp,
            StoreTimestamp = decoded.StoreTimestamp,
            BornHost = decoded.BornHost.ToString(),
            StoreHost = decoded.StoreHost.ToString(),
            ReconsumeTimes = decoded.ReconsumeTimes,
            SysFlag = decoded.SysFlag,
            StoreSize = decoded.StoreSize,
        };
        foreach (var (name, value) in decoded.Properties) message.SetSystemProperty(name, value);
        // A body in a codec this client cannot read (LZ4/ZSTD) is handed over as stored; SysFlag tells the user.
        try
        {
            message.Body = BodyCompression.TryDecompress(decoded.SysFlag, decoded.Body, out byte[] body) ? body : decoded.Body;
        }
        catch (InvalidDataException ex)
        {
            // A corrupt body must not fail the whole pull (the queue would stall on it): the message is marked.
            message.Body = decoded.Body;
            message.UndecodableReason = ex.Message;
        }
        if (header is { } h)
        {
            message.SetSystemProperty(MessageProperty.MinOffset, h.MinOffset.ToString(CultureInfo.InvariantCulture));
            message.SetSystemProperty(MessageProperty.MaxOffset, h.MaxOffset.ToString(CultureInfo.InvariantCulture));
        }
        if (retryTopic is not null && message.Topic == retryTopic && message.GetProperty(MessageProperty.RetryTopic) is { } original)
        {
            message.Topic = original;
        }
        return message;
    }
}
