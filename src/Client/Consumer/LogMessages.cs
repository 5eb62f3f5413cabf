using Microsoft.Extensions.Logging;

namespace RaftMq.Client.Consumer;

/// <summary>Consumer events (4200-4399).</summary>
internal static partial class LogMessages
{
    [LoggerMessage(EventId = 4200, Level = LogLevel.Information, Message = "Consumer {Group} ({Model}, {Mode}) started as {ClientId}")]
    public static partial void ConsumerStarted(this ILogger logger, string group, string model, string mode, string clientId);

    [LoggerMessage(EventId = 4201, Level = LogLevel.Information, Message = "Consumer {Group} stopped")]
    public static partial void ConsumerStopped(this ILogger logger, string group);

    [LoggerMessage(EventId = 4202, Level = LogLevel.Information, Message = "Group {Group} topic {Topic}: now consuming {Queues}")]
    public static partial void AssignmentChanged(this ILogger logger, string group, string topic, string queues);

    [LoggerMessage(EventId = 4203, Level = LogLevel.Warning, Message = "Rebalance of group {Group} topic {Topic} failed: {Reason}")]
    public static partial void RebalanceFailed(this ILogger logger, string group, string topic, string reason);

    [LoggerMessage(EventId = 4204, Level = LogLevel.Warning, Message = "Pull from {Queue} failed, retrying in {Backoff}: {Reason}")]
    public static partial void PullFailed(this ILogger logger, string queue, TimeSpan backoff, string reason);

    [LoggerMessage(EventId = 4205, Level = LogLevel.Warning, Message = "Offset {Offset} of {Queue} is illegal; continuing at {NextOffset}")]
    public static partial void OffsetIllegal(this ILogger logger, string queue, long offset, long nextOffset);

    [LoggerMessage(EventId = 4206, Level = LogLevel.Warning, Message = "Committing offset {Offset} of {Queue} for group {Group} failed: {Reason}")]
    public static partial void OffsetPersistFailed(this ILogger logger, string group, string queue, long offset, string reason);

    [LoggerMessage(EventId = 4207, Level = LogLevel.Warning, Message = "Handler of group {Group} threw on {Queue}; treating the batch as failed")]
    public static partial void HandlerThrew(this ILogger logger, string group, string queue, Exception exception);

    [LoggerMessage(EventId = 4208, Level = LogLevel.Warning, Message = "Send-back of {MsgId} failed ({Reason}); re-sending it to {RetryTopic}")]
    public static partial void SendBackFailed(this ILogger logger, string msgId, string reason, string retryTopic);

    [LoggerMessage(EventId = 4209, Level = LogLevel.Warning, Message = "Message {MsgId} could not be handed back for retry ({Reason}); consuming it again locally later")]
    public static partial void RetryLocally(this ILogger logger, string msgId, string reason);

    [LoggerMessage(EventId = 4210, Level = LogLevel.Information, Message = "Broadcasting consumer {Group} drops failed message {MsgId} (broadcast messages are not redelivered)")]
    public static partial void BroadcastFailureDropped(this ILogger logger, string group, string msgId);

    [LoggerMessage(EventId = 4211, Level = LogLevel.Debug, Message = "Lock of {Queue} for group {Group}: {Locked}")]
    public static partial void LockResult(this ILogger logger, string group, string queue, bool locked);

    [LoggerMessage(EventId = 4212, Level = LogLevel.Warning, Message = "Locking queues of group {Group} on {Address} failed: {Reason}")]
    public static partial void LockFailed(this ILogger logger, string group, string address, string reason);

    [LoggerMessage(EventId = 4213, Level = LogLevel.Warning, Message = "Cannot find a start offset for {Queue} in group {Group}: {Reason}")]
    public static partial void StartOffsetFailed(this ILogger logger, string group, string queue, string reason);

    [LoggerMessage(EventId = 4214, Level = LogLevel.Warning, Message = "Message {MsgId} at {Queue} offset {QueueOffset} cannot be decoded ({Reason}); group {Group} moved it to its DLQ and goes on")]
    public static partial void UndecodableToDlq(this ILogger logger, string group, string msgId, string queue, long queueOffset, string reason);

    [LoggerMessage(EventId = 4215, Level = LogLevel.Warning, Message = "Broadcasting consumer {Group} drops undecodable message {MsgId} at {Queue} offset {QueueOffset} ({Reason})")]
    public static partial void UndecodableDropped(this ILogger logger, string group, string msgId, string queue, long queueOffset, string reason);

    [LoggerMessage(EventId = 4216, Level = LogLevel.Information, Message = "Group {Group} jumps to reset offsets of {Topic}: {Offsets}")]
    public static partial void OffsetsReset(this ILogger logger, string group, string topic, string offsets);

    [LoggerMessage(EventId = 4217, Level = LogLevel.Information, Message = "Slave {Address} does not serve pulls of {Queue} (code {Code}: {Remark}); pulling from the master")]
    public static partial void SlavePullRefused(this ILogger logger, string queue, string address, int code, string remark);
}
