using Microsoft.Extensions.Logging;
using RaftMq.Broker.Clients;
using RaftMq.Broker.Processors.Pull;
using RaftMq.Broker.Store;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Frames;
using RaftMq.Protocol.Headers;
using RaftMq.Protocol.Messages;
using RaftMq.Protocol.Remoting;

namespace RaftMq.Broker.Processors.Consumer;

/// <summary>
/// Client management: HEART_BEAT (34), UNREGISTER_CLIENT (35), GET_CONSUMER_LIST_BY_GROUP (38), the orderly
/// locks LOCK_BATCH_MQ (41) / UNLOCK_BATCH_MQ (42) and CHECK_CLIENT_CONFIG (46). A heartbeat registers the client's
/// groups and subscriptions, creates the group's <c>%RETRY%</c> topic on the leader, and tells the group's other
/// members to rebalance when membership changed. A heartbeat carrying a SQL92 subscription the broker refuses
/// (filtering disabled, or an expression that does not parse) registers nothing and gets the refusal.
/// </summary>
public sealed class ClientManageProcessor : IRemotingRequestHandler
{
    private readonly IMessageStore _store;
    private readonly TopicManager _topics;
    private readonly ClientRegistry _clients;
    private readonly ConsumerIdsChangeNotifier _notifier;
    private readonly QueueLockManager _locks;
    private readonly ProcessorOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public ClientManageProcessor(IMessageStore store, TopicManager topics, ClientRegistry clients, ConsumerIdsChangeNotifier notifier,
        QueueLockManager locks, ProcessorOptions options, TimeProvider time, ILogger logger)
    {
        _store = store;
        _topics = topics;
        _clients = clients;
        _notifier = notifier;
        _locks = locks;
        _options = options;
        _time = time;
        _logger = logger;
    }

    public static IReadOnlyList<int> Codes { get; } =
    [
        RequestCode.HeartBeat, RequestCode.UnregisterClient, RequestCode.GetConsumerListByGroup, RequestCode.LockBatchMq, RequestCode.UnlockBatchMq,
        RequestCode.CheckClientConfig,
    ];

    public async ValueTask<RemotingCommand?> HandleAsync(RemotingContext context, RemotingCommand request, CancellationToken cancellationToken) =>
        request.Code switch
        {
            RequestCode.HeartBeat => await HeartbeatAsync(context, request, cancellationToken).ConfigureAwait(false),
            RequestCode.UnregisterClient => Unregister(request),
            RequestCode.GetConsumerListByGroup => ConsumerList(request),
            RequestCode.LockBatchMq => Lock(request),
            RequestCode.UnlockBatchMq => Unlock(request),
            RequestCode.CheckClientConfig => CheckClientConfig(request),
            _ => request.CreateResponse(ResponseCode.RequestCodeNotSupported, $" request type {request.Code} not supported"),
        };

    private async ValueTask<RemotingCommand> HeartbeatAsync(RemotingContext context, RemotingCommand request, CancellationToken cancellationToken)
    {
        var data = ProtocolJson.Decode<HeartbeatData>(request.Body.Span);
        if (string.IsNullOrEmpty(data.ClientId)) return request.CreateResponse(ResponseCode.SystemError, "heartbeat without clientID");
        if (RefuseSubscriptions(data) is { } refusal) return request.CreateResponse(refusal.Code, refusal.Remark);
        var channel = new ClientChannel(data.ClientId, context.ConnectionId, context.Connection, request.Language, request.Version, _time.GetUtcNow());
        foreach (var consumer in data.ConsumerDataSet)
        {
            if (string.IsNullOrEmpty(consumer.GroupName)) continue;
            await EnsureRetryTopicAsync(consumer.GroupName, cancellationToken).ConfigureAwait(false);
            if (_clients.RegisterConsumer(channel, consumer)) _notifier.Notify(consumer.GroupName, context.ConnectionId);
        }
        foreach (var producer in data.ProducerDataSet)
        {
            if (!string.IsNullOrEmpty(producer.GroupName)) _clients.RegisterProducer(producer.GroupName, channel);
        }
        return request.CreateResponse(ResponseCode.Success);
    }

    private SubscriptionRefusal? RefuseSubscriptions(HeartbeatData data)
    {
        foreach (var consumer in data.ConsumerDataSet)
        {
            foreach (var subscription in consumer.SubscriptionDataSet)
            {
                if (SubscriptionFilter.Validate(subscription, _options.EnablePropertyFilter) is { } refusal)
                {
                    return refusal with { Remark = $"{refusal.Remark} (group {consumer.GroupName}, topic {subscription.Topic})" };
                }
            }
        }
        return null;
    }

    /// <summary>CHECK_CLIENT_CONFIG: RocketMQ clients ask before starting a consumer with a non-tag subscription.</summary>
    private RemotingCommand CheckClientConfig(RemotingCommand request)
    {
        var body = request.Body.IsEmpty ? null : ProtocolJson.Decode<CheckClientRequestBody>(request.Body.Span);
        var refusal = body?.SubscriptionData is { } subscription ? SubscriptionFilter.Validate(subscription, _options.EnablePropertyFilter) : null;
        return refusal is null ? request.CreateResponse(ResponseCode.Success) : request.CreateResponse(refusal.Code, refusal.Remark);
    }

    /// <summary>Consumers subscribe <c>%RETRY%group</c> automatically; its route must exist before they ask for it.</summary>
    private async ValueTask EnsureRetryTopicAsync(string group, CancellationToken cancellationToken)
    {
        string retryTopic = SystemNames.RetryTopic(group);
        if (!_store.IsWritable || _store.FindTopic(retryTopic) is not null || TopicValidation.ValidateName(retryTopic) is not null) return;
        var (status, _) = await _topics.EnsureGroupTopicAsync(retryTopic, SubscriptionGroups.Effective(_store, _options, group).RetryQueueNums, cancellationToken).ConfigureAwait(false);
        if (status != StoreStatus.Ok) LogMessages.RetryTopicNotCreated(_logger, retryTopic, status);
    }

    private RemotingCommand Unregister(RemotingCommand request)
    {
        var header = UnregisterClientRequestHeader.FromExtFields(request.ExtFields);
        var changed = _clients.Unregister(header.ClientId, header.ProducerGroup, header.ConsumerGroup);
        _notifier.NotifyAll(changed);
        return request.CreateResponse(ResponseCode.Success);
    }

    private RemotingCommand ConsumerList(RemotingCommand request)
    {
        var header = ConsumerGroupRequestHeader.FromExtFields(request.ExtFields);
        var ids = _clients.ConsumerIds(header.ConsumerGroup);
        if (ids.Count == 0) return request.CreateResponse(ResponseCode.SystemError, $"no consumer for this group, {header.ConsumerGroup}");
        var response = request.CreateResponse(ResponseCode.Success);
        response.Body = ProtocolJson.Encode(new ConsumerListByGroupResponseBody { ConsumerIdList = [.. ids] });
        return response;
    }

    private RemotingCommand Lock(RemotingCommand request)
    {
        if (!_store.IsWritable) return Responses.NotMaster(request, _options.BrokerName, _store.LeaderId);
        var body = ProtocolJson.Decode<LockBatchRequestBody>(request.Body.Span);
        var locked = _locks.TryLock(body.ConsumerGroup, body.ClientId, body.MqSet);
        var response = request.CreateResponse(ResponseCode.Success);
        response.Body = ProtocolJson.Encode(new LockBatchResponseBody { LockOkMqSet = [.. locked] });
        return response;
    }

    private RemotingCommand Unlock(RemotingCommand request)
    {
        var body = ProtocolJson.Decode<LockBatchRequestBody>(request.Body.Span);
        _locks.Unlock(body.ConsumerGroup, body.ClientId, body.MqSet);
        return request.CreateResponse(ResponseCode.Success);
    }
}
