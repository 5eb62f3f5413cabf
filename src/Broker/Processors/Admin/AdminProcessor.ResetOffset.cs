using RaftMq.Broker.Store;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Frames;
using RaftMq.Protocol.Headers;
using RaftMq.Protocol.Remoting;

namespace RaftMq.Broker.Processors.Admin;

/// <summary>
/// INVOKE_BROKER_TO_RESET_OFFSET (222): moves a group's offsets of every queue of a topic to a time. Unlike RocketMQ, the
/// leader also writes the new offsets to the log itself (so a group with no consumer online is reset too, and the reset
/// survives a failover) before it tells the online consumers with RESET_CONSUMER_CLIENT_OFFSET (220) to jump.
/// </summary>
public sealed partial class AdminProcessor
{
    private async ValueTask<RemotingCommand> ResetOffsetAsync(RemotingContext context, RemotingCommand request, CancellationToken cancellationToken)
    {
        var header = ResetOffsetRequestHeader.FromExtFields(request.ExtFields);
        if (!_store.IsWritable) return Responses.NotMaster(request, _options.BrokerName, _store.LeaderId);
        if (_store.FindTopic(header.Topic) is not { } topic) return Responses.TopicNotExist(request, header.Topic);
        var body = new ResetOffsetBody();
        var offsets = new List<(int QueueId, long Offset)>();
        for (int queueId = 0; queueId < topic.WriteQueueNums; queueId++)
        {
            var entry = ResetOf(header, queueId);
            body.OffsetTable.Add(entry);
            offsets.Add((queueId, entry.Offset));
        }
        var status = await _store.ResetConsumerOffsetsAsync(header.Group, header.Topic, offsets, cancellationToken).ConfigureAwait(false);
        if (status != StoreStatus.Ok)
        {
            return Responses.FromStoreStatus(request, status, _options.BrokerName, _store.LeaderId, $"reset offsets of {header.Group} on {header.Topic}");
        }
        int notified = NotifyResetToConsumers(header, body);
        LogMessages.AdminAction(_logger, context.RemoteAddress,
            $"offsets of {header.Group} on {header.Topic} reset to timestamp {header.Timestamp} (force {header.IsForce}); {notified} online consumers told");
        var response = request.CreateResponse(ResponseCode.Success);
        response.Body = ProtocolJson.Encode(body);
        return response;
    }

    /// <summary>RocketMQ's rule: the first offset stored at or after the time (the max for -1); without force a queue
    /// only moves backwards.</summary>
    private QueueResetOffset ResetOf(ResetOffsetRequestHeader header, int queueId)
    {
        long max = _store.GetMaxOffset(header.Topic, queueId);
        long atTime = header.Timestamp == -1 ? max : Math.Max(0, _store.SearchOffsetByTime(header.Topic, queueId, header.Timestamp));
        long previous = _store.QueryConsumerOffset(header.Group, header.Topic, queueId);
        return new QueueResetOffset
        {
            MessageQueue = new MessageQueue { Topic = header.Topic, BrokerName = _options.BrokerName, QueueId = queueId },
            Offset = header.IsForce || previous < 0 || atTime < previous ? atTime : previous,
            PreviousOffset = previous,
            BrokerOffset = max,
        };
    }

    /// <summary>RESET_CONSUMER_CLIENT_OFFSET (220, oneway) to every online member of the group; returns how many were sent.</summary>
    private int NotifyResetToConsumers(ResetOffsetRequestHeader header, ResetOffsetBody body)
    {
        byte[] encoded = ProtocolJson.Encode(body);
        int sent = 0;
        foreach (var channel in _clients.ConsumerChannels(header.Group))
        {
            if (channel.Connection is not { IsOpen: true } connection) continue;
            var reset = RemotingCommand.CreateRequest(RequestCode.ResetConsumerClientOffset);
            header.ToExtFields(reset.ExtFields);
            reset.Body = encoded;
            reset.MarkOneway();
            if (connection.TrySend(reset)) sent++;
        }
        return sent;
    }
}
