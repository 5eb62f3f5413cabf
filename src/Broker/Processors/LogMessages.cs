using Microsoft.Extensions.Logging;
using RaftMq.Broker.Store;

namespace RaftMq.Broker.Processors;

/// <summary>Request processor log events, ids 2300-2399.</summary>
internal static partial class LogMessages
{
    [LoggerMessage(EventId = 2300, Level = LogLevel.Information, Message = "Auto-created topic {Topic} with {Queues} queue(s): {Status}")]
    public static partial void TopicAutoCreated(ILogger logger, string topic, int queues, StoreStatus status);

    [LoggerMessage(EventId = 2304, Level = LogLevel.Information, Message = "Creating system topic {Topic} ({Reason}) with {Queues} queues, perm {Perm}: {Status}")]
    public static partial void SystemTopicCreated(ILogger logger, string topic, string reason, int queues, int perm, StoreStatus status);

    [LoggerMessage(EventId = 2301, Level = LogLevel.Error, Message = "A topic change listener failed")]
    public static partial void TopicListenerFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2302, Level = LogLevel.Warning, Message = "Send to {Topic} has an unknown outcome (timeout or leadership change); the producer was told so")]
    public static partial void SendOutcomeUnknown(ILogger logger, string topic);

    [LoggerMessage(EventId = 2303, Level = LogLevel.Debug, Message = "Rejected send to {Topic} from {Address}: {Reason}")]
    public static partial void SendRejected(ILogger logger, string topic, string address, string reason);

    [LoggerMessage(EventId = 2310, Level = LogLevel.Debug, Message = "Could not answer a parked pull from {Address}: {Reason}")]
    public static partial void ParkedPullAnswerFailed(ILogger logger, string address, string reason);

    [LoggerMessage(EventId = 2320, Level = LogLevel.Warning, Message = "Send-back for group {Group}: message at offset {Offset} not found")]
    public static partial void SendBackMessageMissing(ILogger logger, string group, long offset);

    [LoggerMessage(EventId = 2321, Level = LogLevel.Information, Message = "Message at offset {Offset} of group {Group} moved to {DlqTopic} after {ReconsumeTimes} re-deliveries")]
    public static partial void MovedToDlq(ILogger logger, long offset, string group, string dlqTopic, int reconsumeTimes);

    [LoggerMessage(EventId = 2330, Level = LogLevel.Warning, Message = "Could not create retry topic {Topic} on heartbeat: {Status}")]
    public static partial void RetryTopicNotCreated(ILogger logger, string topic, StoreStatus status);

    [LoggerMessage(EventId = 2340, Level = LogLevel.Information, Message = "Admin request from {Address}: {What}")]
    public static partial void AdminAction(ILogger logger, string address, string what);

    [LoggerMessage(EventId = 2360, Level = LogLevel.Information, Message = "Request code {Code} from {Address} passed on to consumer {ClientId} of group {Group}")]
    public static partial void ConsumerCall(ILogger logger, int code, string group, string clientId, string address);

    [LoggerMessage(EventId = 2350, Level = LogLevel.Warning, Message = "Delay level {Level} paused for {Pause}: {Reason}")]
    public static partial void DelayLevelPaused(ILogger logger, int level, string reason, TimeSpan pause);

    [LoggerMessage(EventId = 2351, Level = LogLevel.Error, Message = "Scheduled message at SCHEDULE_TOPIC_XXXX queue {QueueId} offset {Offset} has no valid REAL_TOPIC/REAL_QID; its delay level stops here")]
    public static partial void ScheduledMessageUndeliverable(ILogger logger, int queueId, long offset);

}
