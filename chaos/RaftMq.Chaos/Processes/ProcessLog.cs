using Microsoft.Extensions.Logging;

namespace RaftMq.Chaos.Processes;

/// <summary>Log events of the process supervisor (chaos event ids 6200-6299).</summary>
internal static partial class ProcessLog
{
    [LoggerMessage(EventId = 6200, Level = LogLevel.Information, Message = "started {Name} pid {Pid}: {Command}")]
    public static partial void Started(ILogger logger, string name, int pid, string command);

    [LoggerMessage(EventId = 6201, Level = LogLevel.Information, Message = "{Signal} {Name} pid {Pid}")]
    public static partial void Signalled(ILogger logger, string signal, string name, int pid);

    [LoggerMessage(EventId = 6202, Level = LogLevel.Warning, Message = "{Name} pid {Pid} did not exit within {Timeout} after SIGKILL")]
    public static partial void KillTimedOut(ILogger logger, string name, int pid, TimeSpan timeout);

    [LoggerMessage(EventId = 6203, Level = LogLevel.Information, Message = "killing {Count} child process(es) on {Reason}")]
    public static partial void KillingAll(ILogger logger, int count, string reason);
}
