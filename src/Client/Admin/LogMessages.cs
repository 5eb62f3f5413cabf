using Microsoft.Extensions.Logging;

namespace RaftMq.Client.Admin;

/// <summary>Admin client events (4400-4499).</summary>
internal static partial class LogMessages
{
    [LoggerMessage(EventId = 4400, Level = LogLevel.Information, Message = "Topic {Topic} created/updated on broker {BrokerName} ({Address})")]
    public static partial void TopicCreated(this ILogger logger, string topic, string brokerName, string address);

    [LoggerMessage(EventId = 4401, Level = LogLevel.Information, Message = "Topic {Topic} deleted from {Address}")]
    public static partial void TopicDeleted(this ILogger logger, string topic, string address);

    [LoggerMessage(EventId = 4402, Level = LogLevel.Warning, Message = "Runtime info of broker {Address} unavailable: {Reason}")]
    public static partial void RuntimeInfoUnavailable(this ILogger logger, string address, string reason);

    [LoggerMessage(EventId = 4403, Level = LogLevel.Information, Message = "Asked broker {BrokerName} ({Address}) to transfer leadership to {Transferee}")]
    public static partial void LeadershipTransferRequested(this ILogger logger, string brokerName, string address, string transferee);

    [LoggerMessage(EventId = 4404, Level = LogLevel.Information, Message = "Subscription group {Group} created/updated on {Address}")]
    public static partial void SubscriptionGroupUpdated(this ILogger logger, string group, string address);

    [LoggerMessage(EventId = 4405, Level = LogLevel.Information, Message = "Subscription group {Group} deleted from {Address}")]
    public static partial void SubscriptionGroupDeleted(this ILogger logger, string group, string address);
}
