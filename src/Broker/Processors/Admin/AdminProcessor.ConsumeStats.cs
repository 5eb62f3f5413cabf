using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Frames;
using RaftMq.Protocol.Headers;

namespace RaftMq.Broker.Processors.Admin;

/// <summary>GET_CONSUME_STATS (208, one group) and GET_BROKER_CONSUME_STATS (317, every group this node knows): per queue the
/// broker offset, the group's committed offset and the store time of the last message the group consumed.</summary>
public sealed partial class AdminProcessor
{
    private RemotingCommand ConsumeStats(RemotingCommand request)
    {
        string group = HeaderFields.RequiredString(request.ExtFields, "consumerGroup");
        string? onlyTopic = HeaderFields.OptionalString(request.ExtFields, "topic");
        var body = new ConsumeStatsBody();
        foreach (var topic in GroupTopics(group))
        {
            if (!string.IsNullOrEmpty(onlyTopic) && topic.Name != onlyTopic) continue;
            AddQueues(body, group, topic);
        }
        var response = request.CreateResponse(ResponseCode.Success);
        response.Body = ProtocolJson.Encode(body);
        return response;
    }

    /// <summary>Groups with settings, committed offsets or online members; with <c>isOrder=true</c> only order topics.</summary>
    private RemotingCommand BrokerConsumeStats(RemotingCommand request)
    {
        bool orderOnly = HeaderFields.OptionalBoolean(request.ExtFields, "isOrder") ?? false;
        var groups = new SortedSet<string>(_store.ConsumerGroups, StringComparer.Ordinal);
        foreach (var config in _store.SubscriptionGroups) groups.Add(config.GroupName);
        groups.UnionWith(_clients.ConsumerGroupNames());
        var body = new ConsumeStatsList { BrokerAddr = _options.StoreHost.ToString() };
        foreach (string group in groups)
        {
            var perTopic = new List<ConsumeStatsBody>();
            foreach (var topic in GroupTopics(group))
            {
                if (orderOnly && !topic.Order) continue;
                var stats = new ConsumeStatsBody();
                AddQueues(stats, group, topic);
                foreach (var queue in stats.OffsetTable) body.TotalDiff += queue.BrokerOffset - queue.ConsumerOffset;
                perTopic.Add(stats);
            }
            if (perTopic.Count > 0) body.Groups.Add(new Dictionary<string, List<ConsumeStatsBody>>(StringComparer.Ordinal) { [group] = perTopic });
        }
        var response = request.CreateResponse(ResponseCode.Success);
        response.Body = ProtocolJson.Encode(body);
        return response;
    }

    /// <summary>The existing topics a group committed offsets for or subscribes to, by name.</summary>
    private List<TopicConfig> GroupTopics(string group)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (topic, _) in _store.ConsumerOffsets(group).Keys) names.Add(topic);
        foreach (var topic in _clients.SubscribedTopics(group)) names.Add(topic);
        var topics = new List<TopicConfig>(names.Count);
        foreach (string name in names)
        {
            if (_store.FindTopic(name) is { } config) topics.Add(config);
        }
        return topics;
    }

    private void AddQueues(ConsumeStatsBody body, string group, TopicConfig topic)
    {
        for (int queueId = 0; queueId < topic.ReadQueueNums; queueId++)
        {
            long consumerOffset = Math.Max(0, _store.QueryConsumerOffset(group, topic.Name, queueId));
            body.OffsetTable.Add(new ConsumerQueueProgress
            {
                MessageQueue = Queue(topic.Name, queueId),
                BrokerOffset = _store.GetMaxOffset(topic.Name, queueId),
                ConsumerOffset = consumerOffset,
                LastTimestamp = consumerOffset > 0 ? Math.Max(0, _store.GetStoreTime(topic.Name, queueId, consumerOffset - 1)) : 0,
            });
        }
    }
}
