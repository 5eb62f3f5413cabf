using RaftMq.Protocol;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Messages;
using RaftMq.Protocol.Remoting;

namespace RaftMq.Client.Consumer;

public sealed partial class PushConsumer
{
    /// <summary>Re-allocates the queues of every subscribed topic and starts or stops their pull loops.</summary>
    private async Task RebalanceAsync(CancellationToken cancellationToken)
    {
        await _rebalanceLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (string topic in _subscriptions.Keys)
            {
                try
                {
                    await RebalanceTopicAsync(topic, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is MQException or RemotingException or RemotingProtocolException)
                {
                    _logger.RebalanceFailed(_options.ConsumerGroup, topic, ex.Message);
                }
            }
            foreach (var queue in _queues.Values)
            {
                if (!_subscriptions.ContainsKey(queue.Queue.Topic)) await RemoveQueueAsync(queue).ConfigureAwait(false);
            }
        }
        finally
        {
            _rebalanceLock.Release();
        }
    }

    private async Task RebalanceTopicAsync(string topic, CancellationToken cancellationToken)
    {
        var route = await Instance.GetRouteAsync(topic, cancellationToken).ConfigureAwait(false);
        if (route is null) return;
        List<MessageQueue> mine;
        if (IsClustering)
        {
            string? address = AnyBrokerAddress(route.Data);
            if (address is null) return;
            var consumerIds = await _api!.GetConsumerIdsAsync(address, _options.ConsumerGroup, cancellationToken).ConfigureAwait(false);
            if (!consumerIds.Contains(Instance.ClientId))
            {
                // The broker has not seen our heartbeat yet; allocating without us would be wrong for everyone.
                Instance.RequestHeartbeat();
                _logger.RebalanceFailed(_options.ConsumerGroup, topic, $"broker {address} does not list {Instance.ClientId} yet");
                return;
            }
            consumerIds.Sort(StringComparer.Ordinal);
            mine = QueueAllocation.Averagely(route.ReadableQueues, consumerIds, Instance.ClientId);
        }
        else
        {
            mine = [.. route.ReadableQueues];
        }
        await UpdateQueuesAsync(topic, mine, cancellationToken).ConfigureAwait(false);
    }

    private static string? AnyBrokerAddress(TopicRouteData route)
    {
        foreach (var broker in route.BrokerDatas.OrderBy(b => b.BrokerName, StringComparer.Ordinal))
        {
            if (broker.MasterAddress() is { } master) return master;
            foreach (string address in broker.BrokerAddrs.Values) return address;
        }
        return null;
    }

    private async Task UpdateQueuesAsync(string topic, List<MessageQueue> mine, CancellationToken cancellationToken)
    {
        bool changed = false;
        var wanted = new HashSet<MessageQueue>(mine);
        foreach (var (queue, processQueue) in _queues)
        {
            if (queue.Topic != topic || wanted.Contains(queue)) continue;
            await RemoveQueueAsync(processQueue).ConfigureAwait(false);
            changed = true;
        }
        foreach (var queue in mine)
        {
            if (_queues.ContainsKey(queue)) continue;
            changed |= await TryAddQueueAsync(queue, cancellationToken).ConfigureAwait(false);
        }
        if (changed)
        {
            var now = _queues.Keys.Where(q => q.Topic == topic).Select(q => q.BrokerName + ":" + q.QueueId).Order(StringComparer.Ordinal);
            _logger.AssignmentChanged(_options.ConsumerGroup, topic, "[" + string.Join(", ", now) + "]");
        }
    }

    private async Task<bool> TryAddQueueAsync(MessageQueue queue, CancellationToken cancellationToken)
    {
        bool needsLock = IsOrderly && IsClustering;
        if (needsLock && !await TryLockAsync(queue, cancellationToken).ConfigureAwait(false)) return false;
        long offset = await ComputeStartOffsetAsync(queue, cancellationToken).ConfigureAwait(false);
        if (offset < 0) return false;
        var processQueue = new ProcessQueue(queue, offset, _stopping.Token);
        if (needsLock) processQueue.MarkLocked(_time);
        _queues[queue] = processQueue;
        processQueue.PullLoop = Task.Run(() => PullLoopAsync(processQueue), CancellationToken.None);
        if (IsOrderly) processQueue.ConsumeLoop = Task.Run(() => OrderlyLoopAsync(processQueue), CancellationToken.None);
        return true;
    }

    /// <summary>
    /// Gives a queue up: stops its pull loop, lets an orderly batch in progress finish, commits its offset (or
    /// <paramref name="resetTo"/>) and releases its lock so the next owner starts exactly where this consumer stopped.
    /// </summary>
    private async Task RemoveQueueAsync(ProcessQueue processQueue, long resetTo = -1)
    {
        var queue = processQueue.Queue;
        _queues.TryRemove(queue, out _);
        processQueue.Drop();
        // After Drop, consumption still running no longer moves the offset, so the reset value is what gets persisted.
        if (resetTo >= 0) _offsets!.Update(queue, resetTo, increaseOnly: false);
        bool orderlyLock = IsOrderly && IsClustering;
        bool idle = !orderlyLock || await processQueue.ConsumeGate.WaitAsync(_options.ShutdownTimeout).ConfigureAwait(false);
        try
        {
            await _offsets!.PersistAsync([queue], CancellationToken.None).ConfigureAwait(false);
            // A batch still running keeps the lock: it expires on the broker instead of being handed over mid-batch.
            if (orderlyLock && idle) await UnlockAsync([queue], Instance).ConfigureAwait(false);
        }
        finally
        {
            if (orderlyLock && idle) processQueue.ConsumeGate.Release();
        }
        if (IsClustering) _offsets!.Forget(queue);
        _ = Task.WhenAll(processQueue.PullLoop, processQueue.ConsumeLoop)
            .ContinueWith(_ => processQueue.Dispose(), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    }

    /// <summary>The committed offset, or where consumeFromWhere says to start; -1 when it cannot be found now.</summary>
    private async Task<long> ComputeStartOffsetAsync(MessageQueue queue, CancellationToken cancellationToken)
    {
        try
        {
            long stored = await _offsets!.ReadStoredAsync(queue, cancellationToken).ConfigureAwait(false);
            if (stored >= 0) return stored;
            if (SystemNames.IsRetryTopic(queue.Topic)) return 0;
            switch (_options.ConsumeFromWhere)
            {
                case ConsumeFromWhere.ConsumeFromFirstOffset or ConsumeFromWhere.ConsumeFromMinOffset:
                    return 0;
                case ConsumeFromWhere.ConsumeFromTimestamp:
                    string searchAt = await Instance.FindMasterAddressOrRefreshAsync(queue.BrokerName, queue.Topic, cancellationToken).ConfigureAwait(false);
                    return await _api!.SearchOffsetAsync(searchAt, queue, _options.ConsumeTimestamp.ToUnixTimeMilliseconds(), cancellationToken).ConfigureAwait(false);
                default:
                    string address = await Instance.FindMasterAddressOrRefreshAsync(queue.BrokerName, queue.Topic, cancellationToken).ConfigureAwait(false);
                    return await _api!.GetMaxOffsetAsync(address, queue, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is MQException or RemotingException or RemotingProtocolException)
        {
            _logger.StartOffsetFailed(_options.ConsumerGroup, queue.ToString(), ex.Message);
            return -1;
        }
    }

    private async Task RefreshRouteQuietlyAsync(string topic, CancellationToken cancellationToken)
    {
        try
        {
            await Instance.RefreshRouteAsync(topic, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is MQException or RemotingProtocolException)
        {
            _logger.RebalanceFailed(_options.ConsumerGroup, topic, ex.Message);
        }
    }

    /// <summary>
    /// As RocketMQ's client before a consumer starts: each SQL92 subscription is checked by a master serving its topic
    /// (CHECK_CLIENT_CONFIG), so that a broker without <c>enablePropertyFilter</c> or a bad expression fails the start
    /// with the broker's error instead of pulls failing later.
    /// </summary>
    private async Task CheckSubscriptionsInBrokersAsync(CancellationToken cancellationToken)
    {
        foreach (var subscription in _subscriptions.Values)
        {
            if (!subscription.IsSql92) continue;
            var route = await Instance.GetRouteAsync(subscription.Topic, cancellationToken).ConfigureAwait(false);
            foreach (var broker in route?.Data.BrokerDatas ?? [])
            {
                if (Instance.FindMasterAddress(broker.BrokerName) is not { } address) continue;
                await _api!.CheckClientConfigAsync(address, _options.ConsumerGroup, subscription.ToData(), cancellationToken).ConfigureAwait(false);
                break;
            }
        }
    }
}
