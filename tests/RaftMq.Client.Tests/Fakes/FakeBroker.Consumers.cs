using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Frames;
using RaftMq.Protocol.Headers;
using RaftMq.Protocol.Messages;
using RaftMq.Protocol.Remoting;

namespace RaftMq.Client.Tests.Fakes;

internal sealed partial class FakeBroker
{
    private static readonly TimeSpan LockExpiry = TimeSpan.FromSeconds(60);

    private readonly Dictionary<string, Dictionary<string, RemotingConnection>> _groups = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Group, MessageQueue Queue), (string ClientId, long At)> _locks = [];

    /// <summary>Client ids of the group's registered consumers.</summary>
    public List<string> Consumers(string group)
    {
        lock (_lock) return _groups.TryGetValue(group, out var members) ? [.. members.Keys.Order(StringComparer.Ordinal)] : [];
    }

    public string? LockHolder(string group, MessageQueue queue)
    {
        lock (_lock) return _locks.TryGetValue((group, queue), out var holder) ? holder.ClientId : null;
    }

    private RemotingCommand Heartbeat(RemotingContext context, RemotingCommand request)
    {
        var heartbeat = ProtocolJson.Decode<HeartbeatData>(request.Body.Span);
        foreach (var consumer in heartbeat.ConsumerDataSet)
        {
            bool changed;
            lock (_lock)
            {
                if (!_groups.TryGetValue(consumer.GroupName, out var members)) _groups[consumer.GroupName] = members = new(StringComparer.Ordinal);
                changed = !members.ContainsKey(heartbeat.ClientId);
                members[heartbeat.ClientId] = context.Connection;
            }
            string retryTopic = SystemNames.RetryTopic(consumer.GroupName);
            if (consumer.MessageModel == MessageModel.Clustering && !HasTopic(retryTopic)) CreateTopic(retryTopic, 1);
            if (changed) NotifyConsumerIdsChanged(consumer.GroupName);
        }
        return request.CreateResponse(ResponseCode.Success);
    }

    private RemotingCommand UnregisterClient(RemotingContext context, RemotingCommand request)
    {
        var header = UnregisterClientRequestHeader.FromExtFields(request.ExtFields);
        if (header.ConsumerGroup is { } group)
        {
            bool removed;
            lock (_lock) removed = _groups.TryGetValue(group, out var members) && members.Remove(header.ClientId);
            if (removed) NotifyConsumerIdsChanged(group);
        }
        return request.CreateResponse(ResponseCode.Success);
    }

    private void OnConnectionClosed(RemotingConnection connection)
    {
        var changed = new List<string>();
        lock (_lock)
        {
            foreach (var (group, members) in _groups)
            {
                foreach (var clientId in members.Where(m => m.Value == connection).Select(m => m.Key).ToList())
                {
                    members.Remove(clientId);
                    changed.Add(group);
                }
            }
        }
        foreach (string group in changed.Distinct()) NotifyConsumerIdsChanged(group);
    }

    private void NotifyConsumerIdsChanged(string group)
    {
        List<RemotingConnection> connections;
        lock (_lock) connections = _groups.TryGetValue(group, out var members) ? [.. members.Values.Distinct()] : [];
        foreach (var connection in connections)
        {
            var notify = RemotingCommand.CreateRequest(RequestCode.NotifyConsumerIdsChanged);
            new ConsumerGroupRequestHeader { ConsumerGroup = group }.ToExtFields(notify.ExtFields);
            _ = connection.InvokeOnewayAsync(notify).AsTask().ContinueWith(static t => t.Exception, TaskContinuationOptions.OnlyOnFaulted);
        }
    }

    private RemotingCommand ConsumerList(RemotingContext context, RemotingCommand request)
    {
        var ids = Consumers(ConsumerGroupRequestHeader.FromExtFields(request.ExtFields).ConsumerGroup);
        if (ids.Count == 0) return request.CreateResponse(ResponseCode.SystemError, "no consumer for this group");
        var response = request.CreateResponse(ResponseCode.Success);
        response.Body = ProtocolJson.Encode(new ConsumerListByGroupResponseBody { ConsumerIdList = ids });
        return response;
    }

    private RemotingCommand QueryConsumerOffset(RemotingContext context, RemotingCommand request)
    {
        var header = QueryConsumerOffsetRequestHeader.FromExtFields(request.ExtFields);
        long offset = ConsumerOffset(header.ConsumerGroup, header.Topic, header.QueueId);
        if (offset < 0) return request.CreateResponse(ResponseCode.QueryNotFound, "Not found, V3_0_6_SNAPSHOT maybe");
        var response = request.CreateResponse(ResponseCode.Success);
        new OffsetResponseHeader { Offset = offset }.ToExtFields(response.ExtFields);
        return response;
    }

    private RemotingCommand UpdateConsumerOffset(RemotingContext context, RemotingCommand request)
    {
        var header = UpdateConsumerOffsetRequestHeader.FromExtFields(request.ExtFields);
        lock (_lock) _consumerOffsets[(header.ConsumerGroup, header.Topic, header.QueueId)] = header.CommitOffset;
        return request.CreateResponse(ResponseCode.Success);
    }

    private RemotingCommand SearchOffset(RemotingContext context, RemotingCommand request)
    {
        var header = SearchOffsetRequestHeader.FromExtFields(request.ExtFields);
        long offset;
        lock (_lock)
        {
            var records = _queues.GetValueOrDefault((header.Topic, header.QueueId)) ?? [];
            offset = records.FindIndex(r => StoredMessageView.Read(r).StoreTimestamp >= header.Timestamp);
            if (offset < 0) offset = records.Count;
        }
        return OffsetReply(request, offset);
    }

    private RemotingCommand MaxOffset(RemotingContext context, RemotingCommand request)
    {
        var header = TopicQueueRequestHeader.FromExtFields(request.ExtFields);
        lock (_lock) return OffsetReply(request, _queues.GetValueOrDefault((header.Topic, header.QueueId))?.Count ?? 0);
    }

    private RemotingCommand MinOffset(RemotingContext context, RemotingCommand request) => OffsetReply(request, 0);

    private static RemotingCommand OffsetReply(RemotingCommand request, long offset)
    {
        var response = request.CreateResponse(ResponseCode.Success);
        new OffsetResponseHeader { Offset = offset }.ToExtFields(response.ExtFields);
        return response;
    }

    /// <summary>Re-stores the message at the given physical offset in %RETRY%group (or %DLQ%group), as §10 describes.</summary>
    private RemotingCommand SendBack(RemotingContext context, RemotingCommand request)
    {
        if (RefuseSendBack) return request.CreateResponse(ResponseCode.SystemError, "send-back refused by test");
        var header = ConsumerSendMsgBackRequestHeader.FromExtFields(request.ExtFields);
        byte[]? record;
        lock (_lock) record = _commitLog.GetValueOrDefault(header.Offset);
        if (record is null) return request.CreateResponse(ResponseCode.SystemError, "look message by offset failed, " + header.Offset);
        var message = StoredMessageView.Read(record).ToDecodedMessage();
        var properties = message.Properties;
        if (properties[MessageProperty.RetryTopic] is null) properties.Set(MessageProperty.RetryTopic, message.Topic);
        if (properties[MessageProperty.OriginMessageId] is null && header.OriginMsgId is { } origin) properties.Set(MessageProperty.OriginMessageId, origin);
        bool dead = message.ReconsumeTimes >= (header.MaxReconsumeTimes ?? 16) || header.DelayLevel < 0;
        string topic = dead ? SystemNames.DlqTopic(header.Group) : SystemNames.RetryTopic(header.Group);
        if (!dead) RequestedDelayLevels.Enqueue(header.DelayLevel == 0 ? 3 + message.ReconsumeTimes : header.DelayLevel);
        if (!HasTopic(topic)) CreateTopic(topic, 1);
        Store(topic, 0, message.Flag, message.SysFlag, message.BornTimestamp, message.BornHost, message.ReconsumeTimes + 1,
            message.Body, MessageProperties.Encode(properties));
        return request.CreateResponse(ResponseCode.Success);
    }

    private RemotingCommand LockBatch(RemotingContext context, RemotingCommand request)
    {
        var body = ProtocolJson.Decode<LockBatchRequestBody>(request.Body.Span);
        var granted = new List<MessageQueue>();
        lock (_lock)
        {
            foreach (var queue in body.MqSet)
            {
                var key = (body.ConsumerGroup, queue);
                bool free = !_locks.TryGetValue(key, out var holder) || holder.ClientId == body.ClientId
                    || Environment.TickCount64 - holder.At > (long)LockExpiry.TotalMilliseconds;
                if (!free) continue;
                _locks[key] = (body.ClientId, Environment.TickCount64);
                granted.Add(queue);
            }
        }
        var response = request.CreateResponse(ResponseCode.Success);
        response.Body = ProtocolJson.Encode(new LockBatchResponseBody { LockOkMqSet = granted });
        return response;
    }

    private RemotingCommand UnlockBatch(RemotingContext context, RemotingCommand request)
    {
        var body = ProtocolJson.Decode<LockBatchRequestBody>(request.Body.Span);
        lock (_lock)
        {
            foreach (var queue in body.MqSet)
            {
                if (_locks.TryGetValue((body.ConsumerGroup, queue), out var holder) && holder.ClientId == body.ClientId) _locks.Remove((body.ConsumerGroup, queue));
            }
        }
        return request.CreateResponse(ResponseCode.Success);
    }

    private RemotingCommand CreateTopicRequest(RemotingContext context, RemotingCommand request)
    {
        var header = CreateTopicRequestHeader.FromExtFields(request.ExtFields);
        CreateTopic(header.Topic, header.WriteQueueNums);
        return request.CreateResponse(ResponseCode.Success);
    }

    private RemotingCommand DeleteTopicRequest(RemotingContext context, RemotingCommand request)
    {
        string topic = request.ExtFields["topic"] ?? "";
        lock (_lock)
        {
            _topics.Remove(topic);
            foreach (var key in _queues.Keys.Where(k => k.Topic == topic).ToList()) _queues.Remove(key);
        }
        _nameServer.RemoveTopic(BrokerName, topic);
        return request.CreateResponse(ResponseCode.Success);
    }

    private RemotingCommand RuntimeInfo(RemotingContext context, RemotingCommand request)
    {
        var table = new KvTable();
        lock (_lock)
        {
            table.Table["brokerName"] = BrokerName;
            table.Table["messageCount"] = _commitLog.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        var response = request.CreateResponse(ResponseCode.Success);
        response.Body = ProtocolJson.Encode(table);
        return response;
    }
}
