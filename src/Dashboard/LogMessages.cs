using Microsoft.Extensions.Logging;

namespace RaftMq.Dashboard;

internal static partial class LogMessages
{
    [LoggerMessage(EventId = 2100, Level = LogLevel.Information, Message = "Dashboard listening on {Address}, reading name servers {NameServers}")]
    public static partial void DashboardStarted(this ILogger logger, string address, string nameServers);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "Dashboard stopped")]
    public static partial void DashboardStopped(this ILogger logger);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Warning, Message = "Cluster not reachable while {Action}: {Reason}")]
    public static partial void ClusterUnreachable(this ILogger logger, string action, string reason);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Information, Message = "Dashboard action from {Remote}: {Action}")]
    public static partial void ActionPerformed(this ILogger logger, string? remote, string action);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Information, Message = "Leader of {Group} changed from {Previous} to {Current}")]
    public static partial void LeaderChanged(this ILogger logger, string group, string previous, string current);

    [LoggerMessage(EventId = 2105, Level = LogLevel.Debug, Message = "Activity sample failed: {Reason}")]
    public static partial void SampleFailed(this ILogger logger, string reason);
}
