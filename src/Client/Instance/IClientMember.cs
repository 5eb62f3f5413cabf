using RaftMq.Protocol.Bodies;

namespace RaftMq.Client.Instance;

/// <summary>A producer or consumer registered with a <see cref="ClientInstance"/>.</summary>
internal interface IClientMember
{
    /// <summary>Topics whose routes the instance keeps fresh for this member.</summary>
    IReadOnlyCollection<string> RouteTopics { get; }

    /// <summary>True for consumers: heartbeats then go to every broker address, slaves included.</summary>
    bool IsConsumer { get; }

    /// <summary>Adds this member's producer or consumer data to a heartbeat.</summary>
    void ContributeHeartbeat(HeartbeatData heartbeat);

    /// <summary>A broker said the members of <paramref name="consumerGroup"/> changed (NOTIFY_CONSUMER_IDS_CHANGED).</summary>
    void OnConsumerIdsChanged(string consumerGroup);

    /// <summary>A broker reset <paramref name="consumerGroup"/>'s offsets of <paramref name="topic"/>
    /// (RESET_CONSUMER_CLIENT_OFFSET); push consumers of the group jump there, other members ignore it.</summary>
    void OnResetOffset(string consumerGroup, string topic, IReadOnlyDictionary<RaftMq.Protocol.Bodies.MessageQueue, long> offsets)
    {
    }

    /// <summary>GET_CONSUMER_RUNNING_INFO: this member's running info when it is a consumer of <paramref name="consumerGroup"/>, else null.</summary>
    RaftMq.Protocol.Bodies.ConsumerRunningInfo? RunningInfo(string consumerGroup) => null;

    /// <summary>CONSUME_MESSAGE_DIRECTLY: runs <paramref name="message"/> through this member's listener when it is a push consumer of
    /// <paramref name="consumerGroup"/> (off the caller's thread), else null.</summary>
    Task<RaftMq.Protocol.Bodies.ConsumeMessageDirectlyResult>? ConsumeDirectlyAsync(string consumerGroup, MessageExt message, string brokerName) => null;
}
