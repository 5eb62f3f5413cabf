using Microsoft.Extensions.Logging;

namespace RaftMq.Foundation.Configuration;

/// <summary>Configuration log events, ids 1700-1799.</summary>
internal static partial class LogMessages
{
    [LoggerMessage(EventId = 1700, Level = LogLevel.Warning,
        Message = "{File}:{Line}: key '{Key}' is not used by RaftMq (misspelled, or a RocketMQ setting this build does not honour); ignored")]
    public static partial void UnusedKey(ILogger logger, string file, int line, string key);

    [LoggerMessage(EventId = 1701, Level = LogLevel.Warning,
        Message = "{File}:{Line}: key '{Key}' is set again later in the file; this earlier value '{Value}' is ignored")]
    public static partial void OverriddenKey(ILogger logger, string file, int line, string key, string value);
}

public static class PropertiesFileLogging
{
    /// <summary>Warns about keys that no component read and about keys set twice. Call once, after every
    /// component has read its options from <paramref name="file"/>.</summary>
    public static void LogIgnoredEntries(this PropertiesFile file, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(logger);
        foreach (var entry in file.OverriddenEntries())
            LogMessages.OverriddenKey(logger, file.FilePath, entry.LineNumber, entry.Key, entry.Value);
        foreach (var entry in file.UnreadEntries())
            LogMessages.UnusedKey(logger, file.FilePath, entry.LineNumber, entry.Key);
    }
}
