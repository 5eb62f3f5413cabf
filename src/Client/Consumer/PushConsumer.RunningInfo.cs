using System.Globalization;
using System.Text;
using RaftMq.Client.Instance;
using RaftMq.Protocol.Bodies;

namespace RaftMq.Client.Consumer;

/// <summary>What brokers pass on from admin tools: GET_CONSUMER_RUNNING_INFO (consumerStatus) and CONSUME_MESSAGE_DIRECTLY
/// (consumeMessageDirectly), answered as RocketMQ's Java push consumer answers them.</summary>
public sealed partial class PushConsumer
{
    ConsumerRunningInfo? IClientMember.RunningInfo(string consumerGroup)
    {
        if (consumerGroup != _options.ConsumerGroup || _instance is null || _offsets is null) return null;
        var info = new ConsumerRunningInfo();
        foreach (var (name, value) in RunningProperties()) info.Properties[name] = value;
        foreach (var subscription in _subscriptions.Values.OrderBy(s => s.Topic, StringComparer.Ordinal)) info.SubscriptionSet.Add(subscription.ToData());
        foreach (var (queue, processQueue) in _queues) info.MqTable[queue] = processQueue.Describe(_offsets.ReadMemory(queue), _time, _options.LockLease);
        foreach (string topic in _subscriptions.Keys) info.StatusTable[topic] = _consumeStats.Status(topic);
        return info;
    }

    Task<ConsumeMessageDirectlyResult>? IClientMember.ConsumeDirectlyAsync(string consumerGroup, MessageExt message, string brokerName)
    {
        if (consumerGroup != _options.ConsumerGroup || (_concurrentHandler is null && _orderlyHandler is null)) return null;
        // Off the connection's worker: the listener is user code and may itself talk to the brokers.
        return Task.Run(() => ConsumeDirectlyAsync(message, brokerName));
    }

    /// <summary>One message through the listener, outside any queue: nothing is committed, sent back or retried, as in RocketMQ.</summary>
    private async Task<ConsumeMessageDirectlyResult> ConsumeDirectlyAsync(MessageExt message, string brokerName)
    {
        var queue = new MessageQueue { Topic = message.Topic, BrokerName = brokerName, QueueId = message.QueueId };
        var context = new ConsumeContext(queue, _options.SuspendCurrentQueueTime);
        var result = new ConsumeMessageDirectlyResult { Order = IsOrderly, AutoCommit = true };
        long started = _time.GetTimestamp();
        try
        {
            if (IsOrderly)
            {
                var outcome = await _orderlyHandler!([message], context, _stopping.Token).ConfigureAwait(false);
                result.ConsumeResult = outcome == OrderlyConsumeResult.Success ? ConsumeDirectlyOutcome.Success : ConsumeDirectlyOutcome.Later;
            }
            else
            {
                var outcome = await _concurrentHandler!([message], context, _stopping.Token).ConfigureAwait(false);
                result.ConsumeResult = outcome == ConsumeResult.Success ? ConsumeDirectlyOutcome.Success : ConsumeDirectlyOutcome.Later;
            }
        }
        catch (Exception ex)
        {
            result.ConsumeResult = ConsumeDirectlyOutcome.ThrowException;
            result.Remark = ex.ToString();
            _logger.HandlerThrew(_options.ConsumerGroup, queue.ToString(), ex);
        }
        result.SpentTimeMills = (long)_time.GetElapsedTime(started).TotalMilliseconds;
        return result;
    }

    private void RecordConsumed(ProcessQueue processQueue, int messages, bool succeeded, long startedTimestamp)
    {
        _consumeStats.Consumed(processQueue.Queue.Topic, messages, succeeded, _time.GetElapsedTime(startedTimestamp));
        processQueue.MarkConsumed(_time.GetUtcNow().ToUnixTimeMilliseconds());
    }

    /// <summary>The settings by the names of Java's DefaultMQPushConsumer fields, plus the PROP_ entries it adds.</summary>
    private IEnumerable<(string Name, string Value)> RunningProperties()
    {
        var invariant = CultureInfo.InvariantCulture;
        yield return ("consumerGroup", _options.ConsumerGroup);
        yield return ("messageModel", WireName(_options.MessageModel.ToString()));
        yield return ("consumeFromWhere", WireName(_options.ConsumeFromWhere.ToString()));
        yield return ("consumeTimestamp", _options.ConsumeTimestamp.ToLocalTime().ToString("yyyyMMddHHmmss", invariant));
        yield return ("consumeThreadMin", _options.ConsumeConcurrency.ToString(invariant));
        yield return ("consumeThreadMax", _options.ConsumeConcurrency.ToString(invariant));
        yield return ("consumeMessageBatchMaxSize", _options.ConsumeBatchMaxSize.ToString(invariant));
        yield return ("pullBatchSize", _options.PullBatchSize.ToString(invariant));
        yield return ("pullThresholdForQueue", _options.PullThresholdForQueue.ToString(invariant));
        yield return ("maxReconsumeTimes", _options.MaxReconsumeTimes.ToString(invariant));
        yield return ("suspendCurrentQueueTimeMillis", ((long)_options.SuspendCurrentQueueTime.TotalMilliseconds).ToString(invariant));
        yield return ("persistConsumerOffsetInterval", ((long)_options.PersistOffsetInterval.TotalMilliseconds).ToString(invariant));
        yield return ("heartbeatBrokerInterval", ((long)_options.HeartbeatInterval.TotalMilliseconds).ToString(invariant));
        yield return ("pollNameServerInterval", ((long)_options.RouteRefreshInterval.TotalMilliseconds).ToString(invariant));
        yield return ("instanceName", _options.InstanceName);
        yield return ("namesrvAddr", string.Join(";", _options.NameServerAddresses));
        yield return ("clientIP", Instance.ClientAddress.ToString());
        yield return ("unitMode", "false");
        yield return (ConsumerRunningInfo.PropConsumeOrderly, IsOrderly ? "true" : "false");
        yield return (ConsumerRunningInfo.PropThreadPoolCoreSize, _options.ConsumeConcurrency.ToString(invariant));
        yield return (ConsumerRunningInfo.PropConsumerStartTimestamp, _startTimestampMs.ToString(invariant));
        yield return (ConsumerRunningInfo.PropConsumeType, "CONSUME_PASSIVELY");
    }

    /// <summary>An enum member's Java name: ConsumeFromLastOffset -> CONSUME_FROM_LAST_OFFSET.</summary>
    private static string WireName(string member)
    {
        var name = new StringBuilder(member.Length + 8);
        for (int i = 0; i < member.Length; i++)
        {
            if (i > 0 && char.IsUpper(member[i])) name.Append('_');
            name.Append(char.ToUpperInvariant(member[i]));
        }
        return name.ToString();
    }
}
