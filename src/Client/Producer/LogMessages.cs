using Microsoft.Extensions.Logging;

namespace RaftMq.Client.Producer;

/// <summary>Producer events (4100-4199).</summary>
internal static partial class LogMessages
{
    [LoggerMessage(EventId = 4100, Level = LogLevel.Information, Message = "Producer {Group} started as {ClientId}")]
    public static partial void ProducerStarted(this ILogger logger, string group, string clientId);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "Producer {Group} stopped")]
    public static partial void ProducerStopped(this ILogger logger, string group);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "Send to {Topic} via {Address} (attempt {Attempt}) failed, retrying on another queue: {Reason}")]
    public static partial void SendRetrying(this ILogger logger, string topic, string address, int attempt, string reason);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Warning, Message = "Send to {Topic} via {Address} has an unknown outcome: {Reason}")]
    public static partial void SendOutcomeUnknown(this ILogger logger, string topic, string address, string reason);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Debug, Message = "Topic {Topic} not found; sending via template topic {TemplateTopic} for auto-creation")]
    public static partial void UsingTemplateRoute(this ILogger logger, string topic, string templateTopic);

    [LoggerMessage(EventId = 4105, Level = LogLevel.Warning, Message = "Refreshing the route of topic {Topic} after a failed send failed: {Reason}")]
    public static partial void RouteRefreshFailed(this ILogger logger, string topic, string reason);

    [LoggerMessage(EventId = 4106, Level = LogLevel.Warning, Message = "Local transaction of message {MsgId} failed; its state counts as Unknown and the broker will check it")]
    public static partial void LocalTransactionFailed(this ILogger logger, string? msgId, Exception exception);

    [LoggerMessage(EventId = 4107, Level = LogLevel.Warning, Message = "END_TRANSACTION ({State}) for message {MsgId} was not accepted; the broker will check the transaction: {Reason}")]
    public static partial void EndTransactionFailed(this ILogger logger, string? msgId, string state, string reason);
}
