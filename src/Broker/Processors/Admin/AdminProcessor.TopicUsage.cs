using RaftMq.Broker.Store;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Frames;
using RaftMq.Protocol.Headers;
using RaftMq.Protocol.Remoting;

namespace RaftMq.Broker.Processors.Admin;

/// <summary>Who uses a topic and how much: QUERY_TOPIC_CONSUME_BY_WHO (300), VIEW_BROKER_STATS_DATA (315), and
/// CLEAN_UNUSED_TOPIC (316), which drops what topics no longer in the table left behind.</summary>
public sealed partial class AdminProcessor
{
    /// <summary>Groups with an online member subscribed to the topic or a committed offset of it (RocketMQ's union of the
    /// consumer manager and the consumer offset table).</summary>
    private RemotingCommand TopicConsumeByWho(RemotingCommand request)
    {
        string topic = HeaderFields.RequiredString(request.ExtFields, "topic");
        var groups = new SortedSet<string>(StringComparer.Ordinal);
        foreach (string group in _clients.ConsumerGroupNames())
        {
            if (_clients.FindSubscription(group, topic) is not null) groups.Add(group);
        }
        foreach (string group in _store.ConsumerGroups)
        {
            foreach (var (queue, _) in _store.ConsumerOffsets(group))
            {
                if (queue.Topic != topic) continue;
                groups.Add(group);
                break;
            }
        }
        var response = request.CreateResponse(ResponseCode.Success);
        response.Body = ProtocolJson.Encode(new GroupList { Groups = [.. groups] });
        return response;
    }

    /// <summary>One of this node's runtime statistics; a key it never counted answers SYSTEM_ERROR as in RocketMQ.</summary>
    private RemotingCommand BrokerStatsData(RemotingCommand request)
    {
        var header = ViewBrokerStatsDataRequestHeader.FromExtFields(request.ExtFields);
        if (!BrokerStatsNames.All.Contains(header.StatsName))
        {
            return request.CreateResponse(ResponseCode.SystemError,
                $"The stats <{header.StatsName}> is unknown; this broker serves {string.Join(", ", BrokerStatsNames.All)}");
        }
        var data = _stats.Items.Find(header.StatsName, header.StatsKey);
        if (data is null) return request.CreateResponse(ResponseCode.SystemError, $"The stats <{header.StatsName}> <{header.StatsKey}> not exist");
        var response = request.CreateResponse(ResponseCode.Success);
        response.Body = ProtocolJson.Encode(data);
        return response;
    }

    /// <summary>Drops, through the log, the queues and offsets of every topic the table no longer holds (leader only).</summary>
    private async ValueTask<RemotingCommand> CleanUnusedTopicAsync(RemotingContext context, RemotingCommand request, CancellationToken cancellationToken)
    {
        if (!_store.IsWritable) return Responses.NotMaster(request, _options.BrokerName, _store.LeaderId);
        var topics = _store.UnusedTopics();
        var result = await _store.DropTopicQueuesAsync(topics, cancellationToken).ConfigureAwait(false);
        if (result.Status != StoreStatus.Ok)
        {
            return Responses.FromStoreStatus(request, result.Status, _options.BrokerName, _store.LeaderId, "clean unused topics");
        }
        foreach (string topic in topics) _stats.Items.RemoveTopic(topic);
        LogMessages.AdminAction(_logger, context.RemoteAddress,
            $"unused topics cleaned: {result.Queues} queue(s) of {topics.Count} topic(s) [{string.Join(", ", topics)}]");
        var response = request.CreateResponse(ResponseCode.Success);
        response.Body = ProtocolJson.Encode(new CleanUnusedTopicResult { Topics = [.. topics], Queues = result.Queues });
        return response;
    }
}
