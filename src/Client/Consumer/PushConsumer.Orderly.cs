using RaftMq.Client.Instance;
using RaftMq.Client.Trace;
using RaftMq.Protocol;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Remoting;

namespace RaftMq.Client.Consumer;

public sealed partial class PushConsumer
{
    /// <summary>Idle wait of an orderly consume loop between checks for new messages.</summary>
    private static readonly TimeSpan OrderlyIdleWait = TimeSpan.FromSeconds(1);

    /// <summary>One queue's orderly consume loop: one batch at a time, in offset order, only while the lock is held.</summary>
    private async Task OrderlyLoopAsync(ProcessQueue processQueue)
    {
        var cancellation = processQueue.Cancellation;
        try
        {
            while (!cancellation.IsCancellationRequested)
            {
                if (processQueue.Count == 0)
                {
                    await processQueue.MessagesArrived.WaitAsync(OrderlyIdleWait, cancellation).ConfigureAwait(false);
                    continue;
                }
                if (IsClustering && !processQueue.IsLocked(_time, _options.LockLease))
                {
                    await Task.Delay(LockWaitPause, _time, cancellation).ConfigureAwait(false);
                    continue;
                }
                await _orderlySlots!.WaitAsync(cancellation).ConfigureAwait(false);
                TimeSpan pause;
                try
                {
                    pause = await ConsumeOrderlyBatchAsync(processQueue, cancellation).ConfigureAwait(false);
                }
                finally
                {
                    _orderlySlots.Release();
                }
                if (pause > TimeSpan.Zero) await Task.Delay(pause, _time, cancellation).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
        }
    }

    /// <summary>Consumes the next batch; returns how long to pause before the next one (after a suspend).</summary>
    private async Task<TimeSpan> ConsumeOrderlyBatchAsync(ProcessQueue processQueue, CancellationToken cancellation)
    {
        await processQueue.ConsumeGate.WaitAsync(cancellation).ConfigureAwait(false);
        try
        {
            if (processQueue.Dropped) return TimeSpan.Zero;
            var batch = processQueue.Take(_options.ConsumeBatchMaxSize);
            if (batch.Count == 0) return TimeSpan.Zero;
            var context = new ConsumeContext(processQueue.Queue, _options.SuspendCurrentQueueTime);
            var trace = _consumeTracer?.Before(batch);
            OrderlyConsumeResult result;
            var returnType = ConsumeReturnType.Success;
            long started = _time.GetTimestamp();
            try
            {
                result = await _orderlyHandler!(batch, context, _stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                processQueue.ReturnTaken();
                return TimeSpan.Zero;
            }
            catch (Exception ex)
            {
                _logger.HandlerThrew(_options.ConsumerGroup, processQueue.Queue.ToString(), ex);
                result = OrderlyConsumeResult.SuspendCurrentQueueAMoment;
                returnType = ConsumeReturnType.Exception;
            }
            bool consumed = result == OrderlyConsumeResult.Success;
            RecordConsumed(processQueue, batch.Count, consumed, started);
            _consumeTracer?.After(trace, consumed, consumed || returnType != ConsumeReturnType.Success ? returnType : ConsumeReturnType.Failed);
            if (result == OrderlyConsumeResult.Success)
            {
                // Committed even if the queue was just given up: its lock is released only after this gate opens.
                _offsets!.Update(processQueue.Queue, processQueue.CommitTaken(), increaseOnly: true);
                return TimeSpan.Zero;
            }
            processQueue.ReturnTaken();
            return context.SuspendCurrentQueueTime;
        }
        finally
        {
            processQueue.ConsumeGate.Release();
        }
    }

    private async Task<bool> TryLockAsync(MessageQueue queue, CancellationToken cancellationToken)
    {
        string address = await Instance.FindMasterAddressOrRefreshAsync(queue.BrokerName, queue.Topic, cancellationToken).ConfigureAwait(false);
        var locked = await _api!.LockAsync(address, _options.ConsumerGroup, [queue], cancellationToken).ConfigureAwait(false);
        bool ok = locked.Contains(queue);
        _logger.LockResult(_options.ConsumerGroup, queue.ToString(), ok);
        return ok;
    }

    /// <summary>Renews the locks of every assigned queue, one request per broker; lost locks pause their queues.</summary>
    private async Task RenewLocksAsync(CancellationToken cancellationToken)
    {
        foreach (var group in _queues.Values.GroupBy(q => q.Queue.BrokerName))
        {
            string? address = Instance.FindMasterAddress(group.Key);
            if (address is null) continue;
            try
            {
                var locked = await _api!.LockAsync(address, _options.ConsumerGroup, group.Select(q => q.Queue), cancellationToken).ConfigureAwait(false);
                foreach (var processQueue in group)
                {
                    if (locked.Contains(processQueue.Queue)) processQueue.MarkLocked(_time);
                    else processQueue.MarkUnlocked();
                }
            }
            catch (Exception ex) when (ex is MQException or RemotingException or RemotingProtocolException)
            {
                _logger.LockFailed(_options.ConsumerGroup, address, ex.Message);
            }
        }
    }

    private async Task UnlockAsync(IReadOnlyCollection<MessageQueue> queues, ClientInstance instance)
    {
        foreach (var group in queues.GroupBy(q => q.BrokerName))
        {
            string? address = instance.FindMasterAddress(group.Key);
            if (address is null) continue;
            try
            {
                await new BrokerApi(instance).UnlockAsync(address, _options.ConsumerGroup, group, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is MQException or RemotingException or RemotingProtocolException)
            {
                _logger.LockFailed(_options.ConsumerGroup, address, ex.Message);
            }
        }
    }
}
