using RaftMq.Broker.Store;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Frames;
using RaftMq.Protocol.Headers;
using RaftMq.Protocol.Messages;
using RaftMq.Protocol.Remoting;

namespace RaftMq.Broker.Processors.Admin;

public sealed partial class AdminProcessor
{
    private const int MaxQueueNums = 1024;

    private async ValueTask<RemotingCommand> CreateTopicAsync(RemotingContext context, RemotingCommand request, CancellationToken cancellationToken)
    {
        var header = CreateTopicRequestHeader.FromExtFields(request.ExtFields);
        if (TopicValidation.ValidateName(header.Topic) is { } invalid) return request.CreateResponse(ResponseCode.SystemError, invalid);
        if (header.Topic == SystemNames.AutoCreateTopicKeyTopic || TopicValidation.IsNotAllowedSendTopic(header.Topic))
        {
            return request.CreateResponse(ResponseCode.SystemError, $"the topic[{header.Topic}] is conflict with system topic");
        }
        if (header.ReadQueueNums is < 1 or > MaxQueueNums || header.WriteQueueNums is < 1 or > MaxQueueNums)
        {
            return request.CreateResponse(ResponseCode.SystemError,
                $"readQueueNums {header.ReadQueueNums} and writeQueueNums {header.WriteQueueNums} must be between 1 and {MaxQueueNums}");
        }
        if (!_store.IsWritable) return Responses.NotMaster(request, _options.BrokerName, _store.LeaderId);
        var config = new TopicConfig(header.Topic, header.ReadQueueNums, header.WriteQueueNums, header.Perm, header.Order, header.TopicSysFlag ?? 0);
        var status = await _topics.UpsertAsync(config, cancellationToken).ConfigureAwait(false);
        if (status != StoreStatus.Ok) return Responses.FromStoreStatus(request, status, _options.BrokerName, _store.LeaderId, $"create topic {header.Topic}");
        LogMessages.AdminAction(_logger, context.RemoteAddress, $"topic {header.Topic} created/updated: {config}");
        return request.CreateResponse(ResponseCode.Success);
    }

    private async ValueTask<RemotingCommand> DeleteTopicAsync(RemotingContext context, RemotingCommand request, CancellationToken cancellationToken)
    {
        string topic = HeaderFields.RequiredString(request.ExtFields, "topic");
        if (!_store.IsWritable) return Responses.NotMaster(request, _options.BrokerName, _store.LeaderId);
        if (_store.FindTopic(topic) is null) return Responses.TopicNotExist(request, topic);
        var status = await _topics.DeleteAsync(topic, cancellationToken).ConfigureAwait(false);
        if (status != StoreStatus.Ok) return Responses.FromStoreStatus(request, status, _options.BrokerName, _store.LeaderId, $"delete topic {topic}");
        _stats.Items.RemoveTopic(topic);
        LogMessages.AdminAction(_logger, context.RemoteAddress, $"topic {topic} deleted with its queues and consumer offsets");
        return request.CreateResponse(ResponseCode.Success);
    }

    private RemotingCommand AllTopicConfig(RemotingCommand request)
    {
        var wrapper = new TopicConfigSerializeWrapper
        {
            DataVersion = new DataVersion { Counter = _topics.Version, Timestamp = _time.GetUtcNow().ToUnixTimeMilliseconds() },
        };
        foreach (var topic in _store.Topics) wrapper.TopicConfigTable[topic.Name] = topic;
        var response = request.CreateResponse(ResponseCode.Success);
        response.Body = ProtocolJson.Encode(wrapper);
        return response;
    }
}
