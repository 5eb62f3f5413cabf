using Microsoft.Extensions.Logging;

namespace RaftMq.Client.Trace;

/// <summary>Message trace events (4500-4599).</summary>
internal static partial class LogMessages
{
    [LoggerMessage(EventId = 4500, Level = LogLevel.Warning, Message = "Trace buffer of {Capacity} records is full; {Dropped} trace records dropped so far")]
    public static partial void TraceRecordsDropped(this ILogger logger, long dropped, int capacity);

    [LoggerMessage(EventId = 4501, Level = LogLevel.Warning, Message = "Writing {Records} trace records failed; they are lost: {Reason}")]
    public static partial void TraceWriteFailed(this ILogger logger, int records, string reason);

    [LoggerMessage(EventId = 4502, Level = LogLevel.Warning, Message = "Trace records still buffered after {Timeout} at shutdown are lost")]
    public static partial void TraceFlushTimedOut(this ILogger logger, TimeSpan timeout);

    [LoggerMessage(EventId = 4503, Level = LogLevel.Information, Message = "Message trace on for {Group}: records go to topic {TraceTopic}")]
    public static partial void TraceStarted(this ILogger logger, string group, string traceTopic);
}
