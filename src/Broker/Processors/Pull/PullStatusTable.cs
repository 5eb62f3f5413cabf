using RaftMq.Broker.Store;
using RaftMq.Protocol.Codes;

namespace RaftMq.Broker.Processors.Pull;

/// <summary>
/// Store read status -> pull response code and nextBeginOffset (rocketmq-wire-protocol.md §12). Clients adopt
/// nextBeginOffset on 21 (OFFSET_ILLEGAL) and keep pulling from it on 19/20, so it must follow the table exactly.
/// </summary>
public static class PullStatusTable
{
    public static (int Code, long NextBeginOffset) Map(GetResult result, long requestOffset) => result.Status switch
    {
        GetStatus.Found => (ResponseCode.Success, result.NextBeginOffset),
        GetStatus.NoMatchedMessage => (ResponseCode.PullRetryImmediately, result.NextBeginOffset),
        GetStatus.NoMessageInQueue or GetStatus.NoMatchedLogicQueue =>
            (requestOffset != 0 ? ResponseCode.PullOffsetMoved : ResponseCode.PullNotFound, 0),
        GetStatus.OffsetTooSmall => (ResponseCode.PullOffsetMoved, result.MinOffset),
        GetStatus.OffsetOverflowOne => (ResponseCode.PullNotFound, requestOffset),
        GetStatus.OffsetOverflowBadly => (ResponseCode.PullOffsetMoved, result.MaxOffset),
        _ => (ResponseCode.PullRetryImmediately, requestOffset),
    };

    /// <summary>
    /// A follower's mapping: found messages and "nothing new yet" as on the leader; every status that would move the
    /// consumer's offset (21) may only mean that this replica lags, so it is answered PULL_NOT_FOUND at the requested
    /// offset instead (parked with SUSPEND, answered when the follower's queue grows past it).
    /// </summary>
    public static (int Code, long NextBeginOffset) MapOnFollower(GetResult result, long requestOffset)
    {
        var mapped = Map(result, requestOffset);
        return mapped.Code == ResponseCode.PullOffsetMoved ? (ResponseCode.PullNotFound, requestOffset) : mapped;
    }

    /// <summary>RocketMQ's GetMessageStatus name, sent as the (informational) remark.</summary>
    public static string StatusName(GetStatus status) => status switch
    {
        GetStatus.Found => "FOUND",
        GetStatus.NoMatchedMessage => "NO_MATCHED_MESSAGE",
        GetStatus.NoMessageInQueue => "NO_MESSAGE_IN_QUEUE",
        GetStatus.OffsetTooSmall => "OFFSET_TOO_SMALL",
        GetStatus.OffsetOverflowOne => "OFFSET_OVERFLOW_ONE",
        GetStatus.OffsetOverflowBadly => "OFFSET_OVERFLOW_BADLY",
        GetStatus.NoMatchedLogicQueue => "NO_MATCHED_LOGIC_QUEUE",
        _ => status.ToString(),
    };
}
