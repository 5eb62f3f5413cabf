using Microsoft.Extensions.Logging;

namespace RaftMq.Foundation.Background;

/// <summary>Background loop log events, ids 1800-1819 (docs/conventions.md).</summary>
internal static partial class LogMessages
{
    [LoggerMessage(EventId = 1800, Level = LogLevel.Error, Message = "Background loop '{Loop}' failed; it runs again in {Period}")]
    public static partial void LoopRunFailed(ILogger logger, string loop, TimeSpan period, Exception exception);
}
