using RaftMq.Protocol;
using RaftMq.Protocol.Headers;
using RaftMq.Protocol.Remoting;

namespace RaftMq.Client.Consumer;

public sealed partial class PushConsumer
{
    /// <summary>
    /// Takes the messages whose body cannot be decoded out of a pulled batch so they never block the queue: in
    /// clustering mode each goes straight to the group's DLQ (CONSUMER_SEND_MSG_BACK with delay level -1, as a
    /// message past max reconsume times would), in broadcasting mode it is dropped with a log line. When the DLQ
    /// hand-over fails the pull fails too and is retried from the same offset, so nothing is skipped unrecorded.
    /// </summary>
    private async Task<List<MessageExt>> DivertUndecodableAsync(ProcessQueue processQueue, List<MessageExt> messages)
    {
        if (!messages.Exists(m => m.UndecodableReason is not null)) return messages;
        var decodable = new List<MessageExt>(messages.Count);
        foreach (var message in messages)
        {
            if (message.UndecodableReason is not { } reason)
            {
                decodable.Add(message);
                continue;
            }
            string queue = processQueue.Queue.ToString();
            if (IsClustering)
            {
                await SendToDlqAsync(processQueue, message).ConfigureAwait(false);
                _logger.UndecodableToDlq(_options.ConsumerGroup, message.MsgId, queue, message.QueueOffset, reason);
            }
            else
            {
                _logger.UndecodableDropped(_options.ConsumerGroup, message.MsgId, queue, message.QueueOffset, reason);
            }
        }
        return decodable;
    }

    private async Task SendToDlqAsync(ProcessQueue processQueue, MessageExt message)
    {
        string address = await Instance.FindMasterAddressOrRefreshAsync(message.BrokerName, processQueue.Queue.Topic, _stopping.Token).ConfigureAwait(false);
        var header = new ConsumerSendMsgBackRequestHeader
        {
            Offset = message.CommitLogOffset,
            Group = _options.ConsumerGroup,
            DelayLevel = -1,
            OriginMsgId = message.MsgId,
            OriginTopic = message.Topic,
            MaxReconsumeTimes = _options.MaxReconsumeTimes,
        };
        await _api!.SendBackAsync(address, header, _stopping.Token).ConfigureAwait(false);
    }
}
