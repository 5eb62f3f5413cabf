using RaftMq.Protocol.Bodies;

namespace RaftMq.Client;

/// <summary>How the broker stored a sent message.</summary>
public enum SendStatus
{
    /// <summary>Stored (and, for RaftMq, committed by a majority).</summary>
    SendOk,

    /// <summary>Stored, but the flush to disk timed out (response code 10).</summary>
    FlushDiskTimeout,

    /// <summary>Stored, but replication to the slave timed out (response code 12).</summary>
    FlushSlaveTimeout,

    /// <summary>Stored, but no slave was available (response code 11).</summary>
    SlaveNotAvailable,
}

/// <summary>Outcome of a successful send.</summary>
public sealed record SendResult
{
    /// <summary>Storage status reported by the broker.</summary>
    public required SendStatus Status { get; init; }

    /// <summary>The client message id (UNIQ_KEY); comma-joined for a batch.</summary>
    public required string MsgId { get; init; }

    /// <summary>The broker's id (store host + CommitLog offset); comma-joined for a batch.</summary>
    public required string OffsetMsgId { get; init; }

    /// <summary>The queue the message went to.</summary>
    public required MessageQueue Queue { get; init; }

    /// <summary>Logical offset of the (first) message in the queue.</summary>
    public required long QueueOffset { get; init; }

    /// <summary>Transaction id when the broker returned one.</summary>
    public string? TransactionId { get; init; }

    /// <summary>Region id the broker reported (MSG_REGION).</summary>
    public string? RegionId { get; init; }

    /// <summary>Whether the broker lets clients trace this send (TRACE_ON; brokers that do not say allow it).</summary>
    public bool TraceOn { get; init; } = true;
}
