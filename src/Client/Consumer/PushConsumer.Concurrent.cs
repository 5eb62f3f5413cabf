using System.Globalization;
using System.Threading.Channels;
using RaftMq.Client.Trace;
using RaftMq.Protocol;
using RaftMq.Protocol.Headers;
using RaftMq.Protocol.Messages;
using RaftMq.Protocol.Remoting;

namespace RaftMq.Client.Consumer;

public sealed partial class PushConsumer
{
    /// <summary>Pause before a message that could not be handed back to the broker is consumed again locally.</summary>
    private static readonly TimeSpan LocalRetryDelay = TimeSpan.FromSeconds(5);

    private async Task DispatchAsync(ProcessQueue processQueue, List<MessageExt> messages, CancellationToken cancellationToken)
    {
        for (int start = 0; start < messages.Count; start += _options.ConsumeBatchMaxSize)
        {
            var batch = messages.GetRange(start, Math.Min(_options.ConsumeBatchMaxSize, messages.Count - start));
            await _consumeQueue!.Writer.WriteAsync(new ConsumeRequest(processQueue, batch), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ConsumeWorkerAsync()
    {
        var reader = _consumeQueue!.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var request))
            {
                if (request.Queue.Dropped || _stopping.IsCancellationRequested) continue;
                await ConsumeAsync(request).ConfigureAwait(false);
            }
        }
    }

    private async Task ConsumeAsync(ConsumeRequest request)
    {
        var processQueue = request.Queue;
        var context = new ConsumeContext(processQueue.Queue, _options.SuspendCurrentQueueTime);
        var trace = _consumeTracer?.Before(request.Messages);
        ConsumeResult result;
        var returnType = ConsumeReturnType.Success;
        long started = _time.GetTimestamp();
        try
        {
            result = await _concurrentHandler!(request.Messages, context, _stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            return;
        }
        catch (Exception ex)
        {
            _logger.HandlerThrew(_options.ConsumerGroup, processQueue.Queue.ToString(), ex);
            result = ConsumeResult.ReconsumeLater;
            returnType = ConsumeReturnType.Exception;
        }
        if (result == ConsumeResult.ReconsumeLater && returnType == ConsumeReturnType.Success) returnType = ConsumeReturnType.Failed;
        RecordConsumed(processQueue, request.Messages.Count, result == ConsumeResult.Success, started);
        _consumeTracer?.After(trace, result == ConsumeResult.Success, returnType);
        var done = request.Messages;
        if (result == ConsumeResult.ReconsumeLater) done = await HandBackAsync(processQueue, request.Messages, context.DelayLevelWhenNextConsume).ConfigureAwait(false);
        long offset = processQueue.Remove(done);
        if (offset >= 0 && !processQueue.Dropped) _offsets!.Update(processQueue.Queue, offset, increaseOnly: true);
    }

    /// <summary>
    /// Hands failed messages back for redelivery and returns those that are now the broker's concern. Clustering:
    /// CONSUMER_SEND_MSG_BACK, else a direct send to %RETRY%group; what fails both ways is consumed again locally
    /// later. Broadcasting has no redelivery: the messages are dropped.
    /// </summary>
    private async Task<List<MessageExt>> HandBackAsync(ProcessQueue processQueue, List<MessageExt> messages, int delayLevel)
    {
        if (!IsClustering)
        {
            foreach (var message in messages) _logger.BroadcastFailureDropped(_options.ConsumerGroup, message.MsgId);
            return messages;
        }
        var handedBack = new List<MessageExt>(messages.Count);
        var keep = new List<MessageExt>();
        foreach (var message in messages)
        {
            if (await SendBackAsync(processQueue, message, delayLevel).ConfigureAwait(false)) handedBack.Add(message);
            else keep.Add(message);
        }
        if (keep.Count > 0 && !processQueue.Dropped) _ = RetryLocallyAsync(processQueue, keep);
        return handedBack;
    }

    private async Task<bool> SendBackAsync(ProcessQueue processQueue, MessageExt message, int delayLevel)
    {
        try
        {
            string address = await Instance.FindMasterAddressOrRefreshAsync(message.BrokerName, processQueue.Queue.Topic, _stopping.Token).ConfigureAwait(false);
            var header = new ConsumerSendMsgBackRequestHeader
            {
                Offset = message.CommitLogOffset,
                Group = _options.ConsumerGroup,
                DelayLevel = delayLevel,
                OriginMsgId = message.MsgId,
                OriginTopic = message.Topic,
                MaxReconsumeTimes = _options.MaxReconsumeTimes,
            };
            await _api!.SendBackAsync(address, header, _stopping.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is MQException or RemotingException or RemotingProtocolException)
        {
            _logger.SendBackFailed(message.MsgId, ex.Message, RetryTopic);
        }
        try
        {
            var retry = BuildRetryMessage(message);
            await _retrySender!.SendAsync(_retrySender.Prepare(retry), null, _stopping.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is MQException or RemotingException or RemotingProtocolException)
        {
            _logger.RetryLocally(message.MsgId, ex.Message);
            return false;
        }
    }

    /// <summary>The copy a client sends to %RETRY%group itself when the broker refused the send-back (as Java does).</summary>
    private Message BuildRetryMessage(MessageExt message)
    {
        var retry = new Message(RetryTopic, message.Body) { Flag = message.Flag };
        foreach (var (name, value) in message.Properties) retry.SetProperty(name, value);
        if (message.GetProperty(MessageProperty.OriginMessageId) is null) retry.SetProperty(MessageProperty.OriginMessageId, message.MsgId);
        retry.SetProperty(MessageProperty.RetryTopic, message.Topic);
        retry.SetProperty(MessageProperty.ReconsumeTime, (message.ReconsumeTimes + 1).ToString(CultureInfo.InvariantCulture));
        retry.SetProperty(MessageProperty.MaxReconsumeTimes, _options.MaxReconsumeTimes.ToString(CultureInfo.InvariantCulture));
        retry.RemoveProperty(MessageProperty.TransactionPrepared);
        retry.DelayTimeLevel = 3 + message.ReconsumeTimes;
        return retry;
    }

    private async Task RetryLocallyAsync(ProcessQueue processQueue, List<MessageExt> messages)
    {
        try
        {
            await Task.Delay(LocalRetryDelay, _time, processQueue.Cancellation).ConfigureAwait(false);
            foreach (var message in messages) message.ReconsumeTimes++;
            await _consumeQueue!.Writer.WriteAsync(new ConsumeRequest(processQueue, messages), processQueue.Cancellation).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ChannelClosedException or ObjectDisposedException)
        {
            // Queue given up or consumer stopping: the messages stay uncommitted and are delivered again later.
        }
    }
}
