using RaftMq.Protocol;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Frames;
using RaftMq.Protocol.Headers;
using RaftMq.Protocol.Remoting;

namespace RaftMq.Client.Consumer;

public sealed partial class PushConsumer
{
    /// <summary>Pause while a queue holds PullThresholdForQueue messages (bounded memory per queue).</summary>
    private static readonly TimeSpan FlowControlPause = TimeSpan.FromMilliseconds(50);

    /// <summary>Pause of an orderly queue's pull loop while its lock is not (yet) held.</summary>
    private static readonly TimeSpan LockWaitPause = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// One queue's pull loop: long-polls the queue's broker group (its master, or the broker a pull answer suggested:
    /// <see cref="PullSources"/>), hands messages to consumption,
    /// pauses while too many are held, and on failure refreshes the route at once and retries with a growing pause.
    /// </summary>
    private async Task PullLoopAsync(ProcessQueue processQueue)
    {
        var cancellation = processQueue.Cancellation;
        var backoff = _options.PullRetryMinBackoff;
        while (!cancellation.IsCancellationRequested)
        {
            try
            {
                if (processQueue.Count >= _options.PullThresholdForQueue)
                {
                    await Task.Delay(FlowControlPause, _time, cancellation).ConfigureAwait(false);
                    continue;
                }
                if (IsOrderly && IsClustering && !processQueue.IsLocked(_time, _options.LockLease))
                {
                    await Task.Delay(LockWaitPause, _time, cancellation).ConfigureAwait(false);
                    continue;
                }
                await PullOnceAsync(processQueue, cancellation).ConfigureAwait(false);
                backoff = _options.PullRetryMinBackoff;
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // Any failure, expected or not, must not end the loop: the queue would silently stall.
                _logger.PullFailed(processQueue.Queue.ToString(), backoff, ex.Message);
                if (!await PauseAfterFailureAsync(processQueue.Queue.Topic, ex, backoff, cancellation).ConfigureAwait(false)) return;
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, _options.PullRetryMaxBackoff.Ticks));
            }
        }
    }

    /// <summary>Refreshes the route at once after a remoting or broker failure, then waits; false when the loop must end.</summary>
    private async Task<bool> PauseAfterFailureAsync(string topic, Exception failure, TimeSpan backoff, CancellationToken cancellation)
    {
        try
        {
            if (failure is RemotingException or MQException) await RefreshRouteQuietlyAsync(topic, cancellation).ConfigureAwait(false);
            await Task.Delay(backoff, _time, cancellation).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            return false;
        }
    }

    private async Task PullOnceAsync(ProcessQueue processQueue, CancellationToken cancellationToken)
    {
        var queue = processQueue.Queue;
        if (!_subscriptions.TryGetValue(queue.Topic, out var subscription))
        {
            await Task.Delay(LockWaitPause, _time, cancellationToken).ConfigureAwait(false);
            return;
        }
        var source = await _pullSources!.ResolveAsync(queue, cancellationToken).ConfigureAwait(false);
        // A slave does not take offset commits (RocketMQ clears the flag too): they go to the master by themselves.
        long commitOffset = IsClustering && !source.IsSlave ? _offsets!.ReadMemory(queue) : -1;
        var header = new PullMessageRequestHeader
        {
            ConsumerGroup = _options.ConsumerGroup,
            Topic = queue.Topic,
            QueueId = queue.QueueId,
            QueueOffset = processQueue.NextOffset,
            MaxMsgNums = _options.PullBatchSize,
            SysFlag = PullSysFlag.Build(commitOffset: commitOffset > 0, suspend: true, subscription: true, classFilter: false),
            CommitOffset = commitOffset,
            SuspendTimeoutMillis = (long)_options.LongPollingSuspend.TotalMilliseconds,
            Subscription = subscription.Expression,
            SubVersion = subscription.Version,
            ExpressionType = subscription.ExpressionType,
        };
        long started = _time.GetTimestamp();
        var response = await PullFromAsync(source, queue, header, cancellationToken).ConfigureAwait(false);
        var pullTime = _time.GetElapsedTime(started);
        processQueue.MarkPulled(_time.GetUtcNow().ToUnixTimeMilliseconds());
        if (response is null) return; // a slave that does not serve pulls: the master is asked next
        var result = PullMessageResponseHeader.FromExtFields(response.ExtFields);
        _pullSources.Remember(queue, result.SuggestWhichBrokerId);
        if (processQueue.Dropped) return;
        switch (response.Code)
        {
            case ResponseCode.Success:
                var messages = PulledMessages.Decode(response.Body.Span, queue.BrokerName, result, subscription, RetryTopic);
                messages = await DivertUndecodableAsync(processQueue, messages).ConfigureAwait(false);
                _consumeStats.Pulled(queue.Topic, messages.Count, pullTime);
                processQueue.NextOffset = result.NextBeginOffset;
                if (messages.Count == 0)
                {
                    CommitIfIdle(processQueue, result.NextBeginOffset);
                    return;
                }
                processQueue.Add(messages);
                if (!IsOrderly) await DispatchAsync(processQueue, messages, cancellationToken).ConfigureAwait(false);
                return;
            case ResponseCode.PullOffsetMoved:
                _logger.OffsetIllegal(queue.ToString(), processQueue.NextOffset, result.NextBeginOffset);
                processQueue.NextOffset = result.NextBeginOffset;
                _offsets!.Update(queue, result.NextBeginOffset, increaseOnly: false);
                await _offsets.PersistAsync([queue], cancellationToken).ConfigureAwait(false);
                return;
            default:
                _consumeStats.Pulled(queue.Topic, 0, pullTime);
                processQueue.NextOffset = result.NextBeginOffset;
                CommitIfIdle(processQueue, result.NextBeginOffset);
                return;
        }
    }

    /// <summary>Pulls at <paramref name="source"/>; a slave that fails or answers with anything but a pull status sends the
    /// queue back to the master (null then, or the failure rethrown).</summary>
    private async Task<RemotingCommand?> PullFromAsync(PullSource source, MessageQueue queue, PullMessageRequestHeader header, CancellationToken cancellationToken)
    {
        try
        {
            var response = await _api!.PullAsync(source.Address, header, _options.PullTimeout, cancellationToken).ConfigureAwait(false);
            if (!source.IsSlave || PullSources.IsPullAnswer(response.Code)) return response;
            _logger.SlavePullRefused(queue.ToString(), source.Address, response.Code, response.Remark ?? "");
        }
        catch (Exception ex) when (ex is RemotingException or MQException && source.IsSlave)
        {
            _pullSources!.Failed(queue, source);
            throw;
        }
        _pullSources!.Failed(queue, source);
        return null;
    }

    /// <summary>
    /// With nothing held for the queue, everything before <paramref name="nextOffset"/> is consumed or filtered out,
    /// so the committed offset may move there (otherwise a queue full of other tags would never advance).
    /// </summary>
    private void CommitIfIdle(ProcessQueue processQueue, long nextOffset)
    {
        if (processQueue.Count == 0 && !processQueue.Dropped) _offsets!.Update(processQueue.Queue, nextOffset, increaseOnly: true);
    }
}
