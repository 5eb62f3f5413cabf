using RaftMq.Broker.Store;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Frames;
using RaftMq.Protocol.Headers;
using RaftMq.Protocol.Messages;

namespace RaftMq.Broker.Processors.Send;

public sealed partial class SendMessageProcessor
{
    /// <summary>
    /// RocketMQ's msgCheck + handleRetryAndDLQ: topic name, forbidden system topics, transactional messages (never
    /// batched), topic lookup or auto-creation, write permission, queue id, and the diversion of exhausted
    /// <c>%RETRY%</c> sends to the group's <c>%DLQ%</c> topic.
    /// </summary>
    private async ValueTask<(RemotingCommand? Rejection, SendTarget Target)> ResolveTargetAsync(
        RemotingCommand request, SendMessageRequestHeader header, bool batch, CancellationToken cancellationToken)
    {
        string topic = header.Topic;
        if (TopicValidation.ValidateForSend(topic) is { } invalid) return (Illegal(request, invalid), default);
        if (TopicValidation.IsNotAllowedSendTopic(topic))
        {
            return (request.CreateResponse(ResponseCode.NoPermission, $"sending message to topic[{topic}] is forbidden"), default);
        }
        bool prepared = IsTransactional(header);
        if (prepared && batch) return (Illegal(request, "a batch cannot hold transactional (TRAN_MSG) messages; nothing was stored"), default);
        if (batch && SystemNames.IsRetryTopic(topic)) return (Illegal(request, "batch request does not support retry group topics"), default);
        if (ReservedPropertyProblem(header.Properties.AsSpan()) is { } reserved) return (Illegal(request, reserved), default);
        if (HeaderProblem(header) is { } malformed) return (Illegal(request, malformed), default);
        var (status, config) = await _topics.FindOrCreateForSendAsync(topic, header.DefaultTopicQueueNums, cancellationToken).ConfigureAwait(false);
        if (config is null)
        {
            var rejection = status == StoreStatus.TopicNotFound
                ? Responses.TopicNotExist(request, topic)
                : Responses.FromStoreStatus(request, status, _options.BrokerName, _store.LeaderId, $"auto-create topic {topic}");
            return (rejection, default);
        }
        if (!PermName.IsWriteable(config.Perm))
        {
            return (request.CreateResponse(ResponseCode.NoPermission, $"the topic[{topic}] sending message is forbidden"), default);
        }
        int queueLimit = Math.Max(config.ReadQueueNums, config.WriteQueueNums);
        if (header.QueueId >= queueLimit)
        {
            return (request.CreateResponse(ResponseCode.SystemError,
                $"request queueId[{header.QueueId}] is illegal, topic {topic} has {queueLimit} queues, producer group {header.ProducerGroup}"), default);
        }
        int queueId = header.QueueId < 0 ? PickQueue(config) : header.QueueId;
        // A transactional message ignores DELAY, as RocketMQ's producer clears it: it is stored as a half message.
        var target = new SendTarget(topic, queueId, header.ReconsumeTimes ?? 0, batch || prepared ? 0 : DelayLevelOf(header.Properties.AsSpan()), prepared);
        return SystemNames.IsRetryTopic(topic)
            ? await DivertExhaustedRetryAsync(request, header, target, cancellationToken).ConfigureAwait(false)
            : (null, target);
    }

    /// <summary>A send to <c>%RETRY%group</c> whose reconsumeTimes reached the maximum goes to <c>%DLQ%group</c>.</summary>
    private async ValueTask<(RemotingCommand? Rejection, SendTarget Target)> DivertExhaustedRetryAsync(
        RemotingCommand request, SendMessageRequestHeader header, SendTarget target, CancellationToken cancellationToken)
    {
        string group = target.Topic[SystemNames.RetryGroupTopicPrefix.Length..];
        int maxReconsumeTimes = request.Version >= MQVersion.V3_4_9 && header.MaxReconsumeTimes is { } max
            ? max
            : Consumer.SubscriptionGroups.Effective(_store, _options, group).RetryMaxTimes;
        if (target.ReconsumeTimes < maxReconsumeTimes) return (null, target);
        string dlq = SystemNames.DlqTopic(group);
        var (status, config) = await _topics.EnsureGroupTopicAsync(dlq, 1, cancellationToken).ConfigureAwait(false);
        if (config is null) return (Responses.FromStoreStatus(request, status, _options.BrokerName, _store.LeaderId, $"create {dlq}"), default);
        // A message for the DLQ is stored there at once, whatever delay it asked for.
        return (null, target with { Topic = dlq, QueueId = 0, DelayLevel = 0 });
    }

    /// <summary>
    /// The level a send waits at: its DELAY (clamped to the last level) when &gt; 0, else the level for a future
    /// <c>__STARTDELIVERTIME</c>; 0 delivers at once.
    /// </summary>
    private int DelayLevelOf(ReadOnlySpan<char> properties)
    {
        if (MessageProperties.TryGetValue(properties, MessageProperty.DelayTimeLevel, out var text)
            && int.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out int level)
            && level > 0)
        {
            return _options.DelayLevels.Clamp(level);
        }
        return MessageProperties.TryGetValue(properties, MessageProperty.StartDeliverTime, out var at)
            ? _options.DelayLevels.LevelForDeliveryTime(at, _time.GetUtcNow().ToUnixTimeMilliseconds())
            : 0;
    }

    /// <summary>Properties only the broker writes: a producer setting one could skip other producers' delayed messages.</summary>
    private static string? ReservedPropertyProblem(ReadOnlySpan<char> properties) =>
        MessageProperties.TryGetValue(properties, MessageProperty.ScheduledFrom, out _)
            ? $"property {MessageProperty.ScheduledFrom} is reserved for the broker; nothing was stored"
            : null;

    /// <summary>The checks of <see cref="MessageValidation"/> that need only the header.</summary>
    private string? HeaderProblem(SendMessageRequestHeader header) =>
        MessageValidation.SysFlagProblem(header.SysFlag)
        ?? MessageValidation.PropertiesProblem(header.Properties.AsSpan())
        ?? MessageValidation.DeliveryTimeProblem(header.Properties.AsSpan(), _time.GetUtcNow().ToUnixTimeMilliseconds());

    private static bool IsTransactional(SendMessageRequestHeader header)
    {
        if (MessageSysFlag.GetTransactionValue(header.SysFlag) == MessageSysFlag.TransactionPreparedType) return true;
        return header.Properties is { } properties
               && MessageProperties.TryGetValue(properties.AsSpan(), MessageProperty.TransactionPrepared, out var value)
               && value.Equals("true", StringComparison.OrdinalIgnoreCase);
    }
}
