using RaftMq.Broker.Processors.Pull;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Frames;
using RaftMq.Protocol.Headers;

namespace RaftMq.Broker.Processors.Query;

public sealed partial class QueryMessageProcessor
{
    /// <summary>Units one QUERY_CONSUME_QUEUE answers at most, whatever count asks (each costs a CommitLog read for its store time).</summary>
    public const int MaxConsumeQueueUnits = 1000;

    /// <summary>QUERY_CONSUME_QUEUE (321), mqadmin's queryCq: the queue's units from an index, with RocketMQ's remarks.</summary>
    private RemotingCommand QueryConsumeQueue(RemotingCommand request)
    {
        var header = QueryConsumeQueueRequestHeader.FromExtFields(request.ExtFields);
        var units = _store.ReadConsumeQueue(header.Topic, header.QueueId, header.Index, Math.Clamp(header.Count, 0, MaxConsumeQueueUnits));
        if (units is null) return request.CreateResponse(ResponseCode.SystemError, $"{header.QueueId}@{header.Topic} is not exist!");
        var body = new QueryConsumeQueueResponseBody
        {
            MaxQueueIndex = _store.GetMaxOffset(header.Topic, header.QueueId),
            MinQueueIndex = _store.GetMinOffset(header.Topic, header.QueueId),
        };
        Func<long, bool>? accepts = null;
        if (!string.IsNullOrEmpty(header.ConsumerGroup)) accepts = DescribeSubscription(body, header.ConsumerGroup, header.Topic);
        var response = request.CreateResponse(ResponseCode.Success,
            units.Count == 0 ? $"Index {header.Index} of {header.QueueId}@{header.Topic} is not exist!" : null);
        if (units.Count > 0)
        {
            body.QueueData = [.. units.Select(unit => new ConsumeQueueData
            {
                PhysicOffset = unit.PhysicalOffset, PhysicSize = unit.Size, TagsCode = unit.TagsCode, StoreTimestamp = unit.StoreTimestamp,
                Eval = accepts?.Invoke(unit.TagsCode) ?? false,
            })];
        }
        response.Body = ProtocolJson.Encode(body);
        return response;
    }

    /// <summary>Fills in the group's subscription and filter description; returns the tag-hash test of a tag subscription.</summary>
    private Func<long, bool>? DescribeSubscription(QueryConsumeQueueResponseBody body, string group, string topic)
    {
        var subscription = _clients?.FindSubscription(group, topic);
        body.SubscriptionData = subscription;
        if (subscription is null)
        {
            body.FilterData = $"{group}@{topic} is not online!";
            return null;
        }
        if (string.Equals(subscription.ExpressionType, SubscriptionFilter.Sql92Expression, StringComparison.OrdinalIgnoreCase))
        {
            body.FilterData = subscription.SubString; // a SQL92 selector needs the message's properties, not the unit
            return null;
        }
        SubscriptionFilter.TryFromSubscription(subscription, enablePropertyFilter: false, out var filter);
        return filter?.TagFilter ?? (_ => true);
    }
}
