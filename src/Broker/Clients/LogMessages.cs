using Microsoft.Extensions.Logging;

namespace RaftMq.Broker.Clients;

/// <summary>Client registry log events, ids 2400-2449.</summary>
internal static partial class LogMessages
{
    [LoggerMessage(EventId = 2400, Level = LogLevel.Information, Message = "Consumer group {Group} membership changed; notifying {Count} member(s)")]
    public static partial void GroupChanged(ILogger logger, string group, int count);

    [LoggerMessage(EventId = 2401, Level = LogLevel.Information, Message = "Dropped client channels idle for more than {Expiry}; groups changed: {Groups}")]
    public static partial void ChannelsExpired(ILogger logger, TimeSpan expiry, string groups);

    [LoggerMessage(EventId = 2402, Level = LogLevel.Debug, Message = "Could not notify {Address} about group {Group}: {Reason}")]
    public static partial void NotifyFailed(ILogger logger, string address, string group, string reason);

}
