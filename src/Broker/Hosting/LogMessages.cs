using Microsoft.Extensions.Logging;

namespace RaftMq.Broker.Hosting;

/// <summary>Broker hosting log events, ids 2450-2499 except 2470-2489 (src/Broker/Forwarding).</summary>
internal static partial class LogMessages
{
    [LoggerMessage(EventId = 2450, Level = LogLevel.Information, Message = "Broker {BrokerName} ({SelfId}) of cluster {Cluster} serving clients on {EndPoint}, announced as {Address}")]
    public static partial void Started(ILogger logger, string brokerName, string selfId, string cluster, string endPoint, string address);

    [LoggerMessage(EventId = 2451, Level = LogLevel.Information, Message = "Broker {BrokerName} ({SelfId}) stopped")]
    public static partial void Stopped(ILogger logger, string brokerName, string selfId);

    [LoggerMessage(EventId = 2452, Level = LogLevel.Information, Message = "Role change (writable leader: {Writable}); re-registering with the name servers as broker id {BrokerId}")]
    public static partial void RoleChanged(ILogger logger, bool writable, long brokerId);

    [LoggerMessage(EventId = 2453, Level = LogLevel.Warning, Message = "Re-registration after a role change failed")]
    public static partial void RegisterFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2454, Level = LogLevel.Warning, Message = "Creating the system topics (broker, cluster, trace) failed; the next leadership tries again")]
    public static partial void SystemTopicsFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2455, Level = LogLevel.Information, Message = "Run-time setting {Key} changed from {Previous} to {Value} by {Remote} (until restart)")]
    public static partial void RuntimeSettingChanged(ILogger logger, string key, string previous, string value, string remote);

    [LoggerMessage(EventId = 2460, Level = LogLevel.Debug, Message = "Remoting {Kind} connection #{ConnectionId} {Address}: {Message}")]
    public static partial void RemotingEvent(ILogger logger, string kind, long connectionId, string? address, string message);

    [LoggerMessage(EventId = 2461, Level = LogLevel.Warning, Message = "Remoting {Kind} connection #{ConnectionId} {Address}: {Message}")]
    public static partial void RemotingProblem(ILogger logger, string kind, long connectionId, string? address, string message, Exception? exception);
}
