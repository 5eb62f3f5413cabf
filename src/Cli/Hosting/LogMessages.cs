using Microsoft.Extensions.Logging;

namespace RaftMq.Cli.Hosting;

/// <summary>Log events of the executable's host shell, ids 5000-5099.</summary>
internal static partial class LogMessages
{
    [LoggerMessage(EventId = 5000, Level = LogLevel.Information, Message = "raftmq {Verb} starting (pid {ProcessId}, logs in {LogDirectory})")]
    public static partial void Starting(ILogger logger, string verb, int processId, string logDirectory);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "raftmq {Verb} started")]
    public static partial void Started(ILogger logger, string verb);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Information, Message = "raftmq {Verb} stopping ({Reason})")]
    public static partial void Stopping(ILogger logger, string verb, string reason);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Information, Message = "raftmq {Verb} stopped")]
    public static partial void Stopped(ILogger logger, string verb);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Critical, Message = "raftmq {Verb} failed to start")]
    public static partial void StartFailed(ILogger logger, string verb, Exception exception);

    [LoggerMessage(EventId = 5007, Level = LogLevel.Information, Message = "raftmq {Verb} serves Prometheus metrics at {Url}")]
    public static partial void ServingMetrics(ILogger logger, string verb, string url);

    [LoggerMessage(EventId = 5006, Level = LogLevel.Critical, Message = "raftmq {Verb} stopped itself: {Reason}")]
    public static partial void Faulted(ILogger logger, string verb, string reason);
}
