using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Codes;

namespace RaftMq.Client.Admin;

/// <summary>Request codes of RaftMq-specific admin requests (no RocketMQ equivalent).</summary>
public static class AdminRequestCodes
{
    /// <summary>
    /// Code of RaftMq's "transfer leadership of a broker group" request (the broker's AdminProcessor serves 9001;
    /// RocketMQ 4.9.8 uses no code above 400). Override with <see cref="AdminOptions.LeadershipTransferRequestCode"/>.
    /// </summary>
    public const int TransferLeadership = 9001;

    /// <summary>RaftMq's GET_RAFT_STATUS: a broker node's view of its Raft group (any member answers).</summary>
    public const int GetRaftStatus = 9002;

    /// <summary>RaftMq's ADD_PEER: add a member to a broker group's Raft group (the leader serves it).</summary>
    public const int AddPeer = 9003;

    /// <summary>RaftMq's REMOVE_PEER: remove a member of a broker group's Raft group.</summary>
    public const int RemovePeer = 9004;

    /// <summary>RaftMq's PROMOTE_PEER: turn a learner into a voter.</summary>
    public const int PromotePeer = 9005;
}

/// <summary>Settings of an <see cref="MQAdminClient"/>.</summary>
public sealed record AdminOptions : ClientOptions
{
    /// <summary>Request code used by <see cref="MQAdminClient.TransferLeadershipAsync"/>.</summary>
    public int LeadershipTransferRequestCode { get; init; } = AdminRequestCodes.TransferLeadership;

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        Require(LeadershipTransferRequestCode > 0, nameof(LeadershipTransferRequestCode), LeadershipTransferRequestCode, "positive");
    }
}

/// <summary>A topic's configuration for creation or update.</summary>
public sealed record TopicSettings
{
    /// <summary>Topic name.</summary>
    public required string Topic { get; init; }

    /// <summary>Queues consumers read, per broker group.</summary>
    public int ReadQueueNums { get; init; } = 8;

    /// <summary>Queues producers write, per broker group.</summary>
    public int WriteQueueNums { get; init; } = 8;

    /// <summary>Permission bits (6 = read + write).</summary>
    public int Perm { get; init; } = PermName.ReadWrite;

    /// <summary>Marks the topic as ordered.</summary>
    public bool Order { get; init; }
}

/// <summary>One broker node as the name server lists it, with its runtime statistics when it answered.</summary>
public sealed record BrokerNodeInfo
{
    /// <summary>Cluster the node's group belongs to.</summary>
    public required string ClusterName { get; init; }

    /// <summary>Broker group name.</summary>
    public required string BrokerName { get; init; }

    /// <summary>0 for the master (the group's Raft leader), otherwise a follower id.</summary>
    public required long BrokerId { get; init; }

    /// <summary>"host:port" clients connect to.</summary>
    public required string Address { get; init; }

    /// <summary>GET_BROKER_RUNTIME_INFO key/values, or null when the node did not answer.</summary>
    public IReadOnlyDictionary<string, string>? RuntimeInfo { get; init; }

    /// <summary>Why <see cref="RuntimeInfo"/> is missing.</summary>
    public string? Error { get; init; }
}

/// <summary>Offset range of one queue.</summary>
public sealed record QueueOffsets(MessageQueue Queue, long MinOffset, long MaxOffset);

/// <summary>How far a group has consumed one queue.</summary>
public sealed record QueueProgress(MessageQueue Queue, long BrokerOffset, long ConsumerOffset)
{
    /// <summary>Messages not consumed yet (all of them when the group has no committed offset), RocketMQ's Diff: negative
    /// when the committed offset lies past the broker's (e.g. set by hand, or the queue lost entries), so that shows.</summary>
    public long Lag => BrokerOffset - Math.Max(0, ConsumerOffset);
}

/// <summary>A group's progress over the queues of a topic.</summary>
public sealed record ConsumerProgress(string ConsumerGroup, IReadOnlyList<QueueProgress> Queues)
{
    /// <summary>Sum of the queues' lag.</summary>
    public long TotalLag => Queues.Sum(q => q.Lag);
}

/// <summary>One queue of a topic on its group's master: offsets and the store time of its last message (0 when empty).</summary>
public sealed record QueueStatus(MessageQueue Queue, long MinOffset, long MaxOffset, long LastUpdateTimestamp);

/// <summary>Whether a name server answered, how fast, and why not.</summary>
public sealed record NameServerHealth(string Address, bool Reachable, TimeSpan RoundTrip, string? Error);
