using System.Globalization;
using RaftMq.Consensus.Core;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Frames;
using RaftMq.Protocol.Headers;

namespace RaftMq.Broker.Processors.Admin;

public sealed partial class AdminProcessor
{
    /// <summary>A small KvTable: RocketMQ's version keys plus the Raft view (role, term, leader) of this node.</summary>
    private RemotingCommand RuntimeInfo(RemotingCommand request)
    {
        var state = _leadership.State;
        var now = _time.GetUtcNow();
        var daily = _stats.Daily;
        var table = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["brokerVersionDesc"] = MQVersion.Describe(MQVersion.Current),
            ["brokerVersion"] = Text(MQVersion.Current),
            ["clusterName"] = _options.ClusterName,
            ["brokerName"] = _options.BrokerName,
            ["brokerRole"] = _options.ClassicRole ?? (_store.IsWritable ? "SYNC_MASTER" : "SLAVE"),
            ["raftSelfId"] = _leadership.SelfId,
            ["raftRole"] = RoleName(state.Role),
            ["raftTerm"] = Text(state.Term),
            ["raftLeaderId"] = state.LeaderId ?? "",
            ["writable"] = _store.IsWritable ? "true" : "false",
            ["topicCount"] = Text(_store.Topics.Count),
            ["consumerGroupCount"] = Text(_clients.ConsumerGroupCount),
            ["producerGroupCount"] = Text(_clients.ProducerGroupCount),
            ["parkedPulls"] = Text(_parkedPulls()),
            ["msgPutTotalSinceBoot"] = Text(_stats.MessagesPut),
            ["msgGetTotalSinceBoot"] = Text(_stats.MessagesPulled),
            ["msgPutTotalTodayNow"] = Text(_stats.MessagesPut),
            ["msgGetTotalTodayNow"] = Text(_stats.MessagesPulled),
            ["msgPutTotalTodayMorning"] = Text(daily.PutTodayMorning),
            ["msgGetTotalTodayMorning"] = Text(daily.GetTodayMorning),
            ["msgPutTotalYesterdayMorning"] = Text(daily.PutYesterdayMorning),
            ["msgGetTotalYesterdayMorning"] = Text(daily.GetYesterdayMorning),
            ["bootTimestamp"] = Text(_stats.BootTimestamp.ToUnixTimeMilliseconds()),
            ["runtimeSeconds"] = Text((long)(now - _stats.BootTimestamp).TotalSeconds),
        };
        if (_leadership.LastLeaderChange is { } changed) table["raftLeaderChangeTimestamp"] = Text(changed.ToUnixTimeMilliseconds());
        AddRaftRuntimeInfo(table);
        var response = request.CreateResponse(ResponseCode.Success);
        response.Body = ProtocolJson.Encode(new KvTable { Table = table });
        return response;
    }

    private RemotingCommand TopicStats(RemotingCommand request)
    {
        string topic = HeaderFields.RequiredString(request.ExtFields, "topic");
        var config = _store.FindTopic(topic);
        if (config is null) return request.CreateResponse(ResponseCode.TopicNotExist, $"topic[{topic}] not exist");
        var body = new TopicStatsBody();
        for (int queueId = 0; queueId < config.WriteQueueNums; queueId++)
        {
            long maxOffset = _store.GetMaxOffset(topic, queueId);
            body.OffsetTable.Add(new TopicQueueStats
            {
                MessageQueue = Queue(topic, queueId),
                MinOffset = _store.GetMinOffset(topic, queueId),
                MaxOffset = maxOffset,
                // As RocketMQ: the store time of the queue's last message, 0 when it has none.
                LastUpdateTimestamp = maxOffset > 0 ? Math.Max(0, _store.GetStoreTime(topic, queueId, maxOffset - 1)) : 0,
            });
        }
        var response = request.CreateResponse(ResponseCode.Success);
        response.Body = ProtocolJson.Encode(body);
        return response;
    }

    /// <summary>Delivery progress of every delay level, as applied from the log (identical on every replica).</summary>
    private RemotingCommand DelayOffsets(RemotingCommand request)
    {
        var body = new DelayOffsetBody();
        for (int level = 1; level <= _options.DelayLevels.MaxLevel; level++)
        {
            body.OffsetTable[level.ToString(System.Globalization.CultureInfo.InvariantCulture)] =
                _store.GetScheduleProgress(Delay.DelayLevels.ScheduleQueueOf(level));
        }
        var response = request.CreateResponse(ResponseCode.Success);
        response.Body = ProtocolJson.Encode(body);
        return response;
    }

    private MessageQueue Queue(string topic, int queueId) => new() { Topic = topic, BrokerName = _options.BrokerName, QueueId = queueId };

    private static string RoleName(RaftRole role) => role switch
    {
        RaftRole.Leader => "LEADER",
        RaftRole.Candidate => "CANDIDATE",
        RaftRole.PreCandidate => "PRE_CANDIDATE",
        _ => "FOLLOWER",
    };

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
