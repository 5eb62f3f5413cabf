using Microsoft.Extensions.Logging;

namespace RaftMq.Broker.Forwarding;

/// <summary>Forwarding and hand-over log events, ids 2470-2489.</summary>
internal static partial class LogMessages
{
    [LoggerMessage(EventId = 2470, Level = LogLevel.Warning,
        Message = "Forwarded request code {Code} to leader {Leader} at {Address}: outcome unknown ({Reason}); answered as unknown, not retried")]
    public static partial void ForwardOutcomeUnknown(ILogger logger, int code, string leader, string address, string reason);

    [LoggerMessage(EventId = 2471, Level = LogLevel.Debug, Message = "No address found for leader {Leader} in time; answered request code {Code} with not master")]
    public static partial void LeaderAddressUnknown(ILogger logger, string leader, int code);

    [LoggerMessage(EventId = 2472, Level = LogLevel.Information, Message = "Stopping as leader of term {Term}: handing leadership to {Target}")]
    public static partial void HandingOver(ILogger logger, long term, string target);

    [LoggerMessage(EventId = 2473, Level = LogLevel.Information, Message = "Leadership handed to {Leader} in {Milliseconds} ms; stopping")]
    public static partial void HandedOver(ILogger logger, string leader, long milliseconds);

    [LoggerMessage(EventId = 2474, Level = LogLevel.Warning, Message = "No follower took leadership within {Milliseconds} ms; stopping anyway (the group elects a leader after an election timeout)")]
    public static partial void HandOverTimedOut(ILogger logger, long milliseconds);

    [LoggerMessage(EventId = 2475, Level = LogLevel.Debug, Message = "Heartbeat copy to leader {Address} failed: {Reason}")]
    public static partial void HeartbeatCopyFailed(ILogger logger, string address, string reason);
}
