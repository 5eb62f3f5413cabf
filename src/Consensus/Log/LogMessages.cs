using Microsoft.Extensions.Logging;

namespace RaftMq.Consensus.Log;

/// <summary>Log store events (ids 1300-1499, see docs/conventions.md).</summary>
internal static partial class LogMessages
{
    [LoggerMessage(EventId = 1300, Level = LogLevel.Information,
        Message = "Raft log opened at {StorePath}: entries [{FirstIndex}, {LastIndex}], next pos {NextPos}, verified from index {VerifiedFrom}")]
    public static partial void Opened(this ILogger logger, string storePath, long firstIndex, long lastIndex, long nextPos, long verifiedFrom);

    [LoggerMessage(EventId = 1301, Level = LogLevel.Warning,
        Message = "Raft log torn tail truncated: {Check} at {File} offset {FileOffset} (pos {Pos}, index {Index}); {Bytes} bytes of never-synced data discarded")]
    public static partial void TornTailTruncated(this ILogger logger, EntryCheck check, string file, long fileOffset, long pos, long index, long bytes);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Warning,
        Message = "Raft log index rebuilt from data for entries [{FromIndex}, {ToIndex}] (missing, short or damaged index units)")]
    public static partial void IndexRebuilt(this ILogger logger, long fromIndex, long toIndex);

    [LoggerMessage(EventId = 1303, Level = LogLevel.Critical,
        Message = "Raft log at {StorePath} is CORRUPT; this node must not vote or lead. {Reason}. See docs/operations/corrupt-log.md")]
    public static partial void Corrupt(this ILogger logger, string storePath, string reason);

    [LoggerMessage(EventId = 1304, Level = LogLevel.Information,
        Message = "Raft log retention deleted {Segments} data segment(s); first index now {FirstIndex} at pos {FirstPos}")]
    public static partial void SegmentsDeleted(this ILogger logger, int segments, long firstIndex, long firstPos);

    [LoggerMessage(EventId = 1305, Level = LogLevel.Information,
        Message = "Raft log reset to snapshot at index {Index} term {Term}; next pos {NextPos}")]
    public static partial void ResetToSnapshot(this ILogger logger, long index, long term, long nextPos);

    [LoggerMessage(EventId = 1306, Level = LogLevel.Information,
        Message = "Raft log suffix truncated from index {FromIndex} (pos {Pos}); last index was {PreviousLastIndex}")]
    public static partial void SuffixTruncated(this ILogger logger, long fromIndex, long pos, long previousLastIndex);

    [LoggerMessage(EventId = 1307, Level = LogLevel.Warning,
        Message = "Raft log checkpoint {File} ignored ({Problem}); recovery relies on the data alone")]
    public static partial void CheckpointIgnored(this ILogger logger, string file, string problem);

    [LoggerMessage(EventId = 1308, Level = LogLevel.Information,
        Message = "Raft log finished an interrupted retention: {DataFiles} data and {IndexFiles} index file(s) below the base deleted")]
    public static partial void RetentionCompleted(this ILogger logger, int dataFiles, int indexFiles);

    [LoggerMessage(EventId = 1309, Level = LogLevel.Warning,
        Message = "Raft log does not contain the snapshot's last entry (index {Index}, term {Term}); discarding the log and restarting it at the snapshot")]
    public static partial void LogBehindSnapshot(this ILogger logger, long index, long term);

    [LoggerMessage(EventId = 1310, Level = LogLevel.Warning,
        Message = "Raft log index discarded and rebuilt from data: {Problem}")]
    public static partial void IndexDiscarded(this ILogger logger, string problem);
}
