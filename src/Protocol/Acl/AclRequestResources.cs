using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Frames;
using RaftMq.Protocol.Messages;

namespace RaftMq.Protocol.Acl;

/// <summary>
/// What a request needs, as RocketMQ's PlainAccessValidator.parse decides it: sends (single, V2 and batch) need PUB on
/// the topic (a send to a retry topic needs SUB on that group instead); pulls need SUB on the topic and on the group; heartbeats SUB on every
/// consumer group and subscribed topic; unregister, consumer list, send-back and offset updates SUB on the group (and
/// the topic). A group's permission is stored under its retry topic <c>%RETRY%group</c>, so "group permission" and
/// "retry topic permission" are one thing. Other codes need no resource, only a valid signature (and admin codes admin).
/// </summary>
public static class AclRequestResources
{
    /// <summary>RocketMQ 4.9's admin codes (17, 25, 215, 200, 207), plus what RaftMq also keeps for admins: the ACL
    /// administration codes 50-54 (RocketMQ 4.9 left them to any account, and 54 returns secret keys) and leadership
    /// transfer (9001).</summary>
    public static readonly IReadOnlySet<int> BrokerAdminCodes = new HashSet<int>
    {
        RequestCode.UpdateAndCreateTopic, RequestCode.UpdateBrokerConfig, RequestCode.DeleteTopicInBroker,
        RequestCode.UpdateAndCreateSubscriptionGroup, RequestCode.DeleteSubscriptionGroup,
        RequestCode.UpdateAndCreateAclConfig, RequestCode.DeleteAclConfig, RequestCode.GetBrokerClusterAclInfo,
        RequestCode.UpdateGlobalWhiteAddrsConfig, RequestCode.GetBrokerClusterAclConfig, TransferLeadershipCode,
        AddPeerCode, RemovePeerCode, PromotePeerCode,
    };

    /// <summary>The name server's write commands; with ACL on only these are checked (routes stay readable).</summary>
    public static readonly IReadOnlySet<int> NameServerWriteCodes = new HashSet<int>
    {
        RequestCode.PutKvConfig, RequestCode.DeleteKvConfig, RequestCode.RegisterBroker, RequestCode.UnregisterBroker,
        RequestCode.WipeWritePermOfBroker, RequestCode.DeleteTopicInNamesrv, RequestCode.DeleteKvConfigByValue,
    };

    /// <summary>RaftMq's leadership transfer request code.</summary>
    public const int TransferLeadershipCode = 9001;

    /// <summary>RaftMq's membership change request codes (add, remove, promote a Raft group member).</summary>
    public const int AddPeerCode = 9003;
    public const int RemovePeerCode = 9004;
    public const int PromotePeerCode = 9005;

    /// <summary>Resource -> permission needed; groups appear as their retry topic. Throws on a malformed heartbeat body.</summary>
    public static Dictionary<string, AclPermission> Needed(RemotingCommand request)
    {
        var needed = new Dictionary<string, AclPermission>(StringComparer.Ordinal);
        var fields = request.ExtFields;
        switch (request.Code)
        {
            case RequestCode.SendMessage:
                AddSend(needed, fields["topic"]);
                break;
            case RequestCode.SendMessageV2:
            case RequestCode.SendBatchMessage: // RocketMQ 4.9 checks no permission for batches; RaftMq checks them as sends
                AddSend(needed, fields["b"] ?? fields["topic"]);
                break;
            case RequestCode.ConsumerSendMsgBack:
                AddGroup(needed, fields["group"]);
                break;
            case RequestCode.PullMessage:
                Add(needed, fields["topic"], AclPermission.Sub);
                AddGroup(needed, fields["consumerGroup"]);
                break;
            case RequestCode.QueryMessage:
                Add(needed, fields["topic"], AclPermission.Sub);
                break;
            case RequestCode.HeartBeat:
                var heartbeat = ProtocolJson.Decode<HeartbeatData>(request.Body.Span);
                foreach (var consumer in heartbeat.ConsumerDataSet)
                {
                    AddGroup(needed, consumer.GroupName);
                    foreach (var subscription in consumer.SubscriptionDataSet) Add(needed, subscription.Topic, AclPermission.Sub);
                }
                break;
            case RequestCode.UnregisterClient:
            case RequestCode.GetConsumerListByGroup:
                AddGroup(needed, fields["consumerGroup"]);
                break;
            case RequestCode.UpdateConsumerOffset:
                AddGroup(needed, fields["consumerGroup"]);
                Add(needed, fields["topic"], AclPermission.Sub);
                break;
        }
        return needed;
    }

    public static bool IsRetryTopic(string resource) => resource.StartsWith(SystemNames.RetryGroupTopicPrefix, StringComparison.Ordinal);

    /// <summary>"topic:X" or "group:G" as RocketMQ prints a resource in its refusal.</summary>
    public static string Describe(string resource) =>
        IsRetryTopic(resource) ? "group:" + resource[SystemNames.RetryGroupTopicPrefix.Length..] : "topic:" + resource;

    /// <summary>A consumer re-sending to <c>%RETRY%G</c> (ali-ons does, through its inner producer) needs SUB on group G:
    /// the retry topic is the group's resource whoever the producer group is.</summary>
    private static void AddSend(Dictionary<string, AclPermission> needed, string? topic) =>
        Add(needed, topic, topic is not null && IsRetryTopic(topic) ? AclPermission.Sub : AclPermission.Pub);

    private static void AddGroup(Dictionary<string, AclPermission> needed, string? group)
    {
        if (group is not null) needed[SystemNames.RetryGroupTopicPrefix + group] = AclPermission.Sub;
    }

    private static void Add(Dictionary<string, AclPermission> needed, string? resource, AclPermission permission)
    {
        if (resource is not null) needed[resource] = permission;
    }
}
