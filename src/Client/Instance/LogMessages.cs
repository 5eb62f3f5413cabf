using Microsoft.Extensions.Logging;

namespace RaftMq.Client.Instance;

/// <summary>Client instance events (4000-4099).</summary>
internal static partial class LogMessages
{
    [LoggerMessage(EventId = 4000, Level = LogLevel.Information, Message = "Client instance {ClientId} started (name servers {NameServers})")]
    public static partial void InstanceStarted(this ILogger logger, string clientId, string nameServers);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Route of topic {Topic} changed: {Route}")]
    public static partial void RouteChanged(this ILogger logger, string topic, string route);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "Refreshing the route of topic {Topic} failed: {Reason}")]
    public static partial void RouteRefreshFailed(this ILogger logger, string topic, string reason);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning, Message = "Name server {Address} unreachable: {Reason}")]
    public static partial void NameServerUnreachable(this ILogger logger, string address, string reason);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Debug, Message = "Heartbeat to {Address} failed: {Reason}")]
    public static partial void HeartbeatFailed(this ILogger logger, string address, string reason);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Information, Message = "Broker asked group {Group} to rebalance (consumer ids changed)")]
    public static partial void ConsumerIdsChanged(this ILogger logger, string group);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Information, Message = "Client instance {ClientId} stopped")]
    public static partial void InstanceStopped(this ILogger logger, string clientId);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Debug, Message = "Remoting {Kind} {Address}: {Detail}")]
    public static partial void RemotingEvent(this ILogger logger, string kind, string? address, string detail);

    [LoggerMessage(EventId = 4009, Level = LogLevel.Debug, Message = "Topic {Topic} has no route on the name servers")]
    public static partial void TopicNotFound(this ILogger logger, string topic);

    [LoggerMessage(EventId = 4020, Level = LogLevel.Warning, Message = "CHECK_TRANSACTION_STATE from {Address} ignored: {Reason}")]
    public static partial void TransactionCheckIgnored(this ILogger logger, string address, string reason);

    [LoggerMessage(EventId = 4021, Level = LogLevel.Information, Message = "Broker {Address} reset the offsets of group {Group} on {Topic} ({Queues} queues)")]
    public static partial void ResetOffsetReceived(this ILogger logger, string group, string topic, int queues, string address);

    [LoggerMessage(EventId = 4022, Level = LogLevel.Information, Message = "Broker {Address} asked for request code {Code} of group {Group}: {Outcome}")]
    public static partial void ConsumerCallAnswered(this ILogger logger, int code, string group, string address, string outcome);
}
