using RaftMq.Broker.Store;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Frames;
using RaftMq.Protocol.Headers;
using RaftMq.Protocol.Messages;
using RaftMq.Protocol.Remoting;

namespace RaftMq.Broker.Processors.Admin;

/// <summary>UPDATE_AND_CREATE_SUBSCRIPTIONGROUP (200), GET_ALL_SUBSCRIPTIONGROUP_CONFIG (201), DELETE_SUBSCRIPTIONGROUP (207):
/// consumer groups' settings, changed through the log on the leader, read from what this replica applied.</summary>
public sealed partial class AdminProcessor
{
    private async ValueTask<RemotingCommand> UpdateSubscriptionGroupAsync(RemotingContext context, RemotingCommand request, CancellationToken cancellationToken)
    {
        if (request.Body.IsEmpty) return request.CreateResponse(ResponseCode.SystemError, "the request has no SubscriptionGroupConfig body");
        var config = ProtocolJson.Decode<SubscriptionGroupConfig>(request.Body.Span);
        if (config.Problem() is { } problem) return request.CreateResponse(ResponseCode.SystemError, $"subscription group settings refused: {problem}");
        if (TopicValidation.ValidateName(SystemNames.RetryTopic(config.GroupName)) is { } invalid)
        {
            return request.CreateResponse(ResponseCode.SystemError, $"consumer group {config.GroupName}: {invalid}");
        }
        if (!_store.IsWritable) return Responses.NotMaster(request, _options.BrokerName, _store.LeaderId);
        var status = await _store.UpsertSubscriptionGroupAsync(config, cancellationToken).ConfigureAwait(false);
        if (status != StoreStatus.Ok)
        {
            return Responses.FromStoreStatus(request, status, _options.BrokerName, _store.LeaderId, $"update subscription group {config.GroupName}");
        }
        LogMessages.AdminAction(_logger, context.RemoteAddress, $"subscription group {config.GroupName} created/updated: {config}");
        if (await ResizeRetryTopicAsync(config, cancellationToken).ConfigureAwait(false) is { } failed) return failed.Into(request);
        return request.CreateResponse(ResponseCode.Success);
    }

    /// <summary>An existing <c>%RETRY%group</c> topic follows a changed retryQueueNums (mqadmin does this from the client).</summary>
    private async ValueTask<RefusedChange?> ResizeRetryTopicAsync(SubscriptionGroupConfig config, CancellationToken cancellationToken)
    {
        string retryTopic = SystemNames.RetryTopic(config.GroupName);
        if (_store.FindTopic(retryTopic) is not { } topic || (topic.ReadQueueNums == config.RetryQueueNums && topic.WriteQueueNums == config.RetryQueueNums))
        {
            return null;
        }
        var status = await _topics.UpsertAsync(topic with { ReadQueueNums = config.RetryQueueNums, WriteQueueNums = config.RetryQueueNums }, cancellationToken)
            .ConfigureAwait(false);
        return status == StoreStatus.Ok ? null : new RefusedChange(status, $"resize {retryTopic} to {config.RetryQueueNums} queues", _options.BrokerName, _store.LeaderId);
    }

    private RemotingCommand AllSubscriptionGroups(RemotingCommand request)
    {
        var wrapper = new SubscriptionGroupWrapper
        {
            DataVersion = new DataVersion { Counter = _store.SubscriptionGroupVersion, Timestamp = _time.GetUtcNow().ToUnixTimeMilliseconds() },
        };
        foreach (var group in _store.SubscriptionGroups) wrapper.SubscriptionGroupTable[group.GroupName] = group;
        var response = request.CreateResponse(ResponseCode.Success);
        response.Body = ProtocolJson.Encode(wrapper);
        return response;
    }

    private async ValueTask<RemotingCommand> DeleteSubscriptionGroupAsync(RemotingContext context, RemotingCommand request, CancellationToken cancellationToken)
    {
        string group = HeaderFields.RequiredString(request.ExtFields, "groupName");
        if (!_store.IsWritable) return Responses.NotMaster(request, _options.BrokerName, _store.LeaderId);
        var status = await _store.DeleteSubscriptionGroupAsync(group, cancellationToken).ConfigureAwait(false);
        if (status != StoreStatus.Ok) return Responses.FromStoreStatus(request, status, _options.BrokerName, _store.LeaderId, $"delete subscription group {group}");
        LogMessages.AdminAction(_logger, context.RemoteAddress, $"subscription group {group} deleted");
        return request.CreateResponse(ResponseCode.Success);
    }

    /// <summary>A store write that did not happen, turned into the reply for the request that asked for it.</summary>
    private sealed record RefusedChange(StoreStatus Status, string What, string BrokerName, string? LeaderId)
    {
        public RemotingCommand Into(RemotingCommand request) => Responses.FromStoreStatus(request, Status, BrokerName, LeaderId, What);
    }
}
