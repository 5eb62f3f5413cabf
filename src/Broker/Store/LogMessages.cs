using Microsoft.Extensions.Logging;

namespace RaftMq.Broker.Store;

/// <summary>Message store events (ids 2100-2199, see docs/conventions.md: Broker 2000-2999).</summary>
internal static partial class LogMessages
{
    [LoggerMessage(EventId = 2100, Level = LogLevel.Information,
        Message = "Message store opened at {StoreDirectory}: applied index {AppliedIndex}, {Topics} topic(s), {Queues} queue(s), {IndexedKeys} indexed key(s) in {IndexFiles} key index file(s)")]
    public static partial void Opened(this ILogger logger, string storeDirectory, long appliedIndex, int topics, int queues, long indexedKeys, int indexFiles);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Warning,
        Message = "Message store derived files are unusable ({Reason}); wiping them and re-deriving everything from the log")]
    public static partial void Rebuilding(this ILogger logger, string reason);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Error,
        Message = "Log entry {Index} at pos {Pos} has a malformed body and is skipped on every replica: {Reason}")]
    public static partial void MalformedEntrySkipped(this ILogger logger, long index, long pos, string reason);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Information,
        Message = "Message store restored from snapshot at index {Index} term {Term}: {Topics} topic(s), {Queues} queue(s); older messages are not available here")]
    public static partial void SnapshotRestored(this ILogger logger, long index, long term, int topics, int queues);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Warning,
        Message = "{Count} consumer offset(s) not written to the log this round: {Status}")]
    public static partial void OffsetCommitNotWritten(this ILogger logger, int count, StoreStatus status);

    [LoggerMessage(EventId = 2105, Level = LogLevel.Error, Message = "Consumer offset commit round failed")]
    public static partial void OffsetCommitFailed(this ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2107, Level = LogLevel.Critical,
        Message = "ConsumeQueue {Topic}/{QueueId} unit {QueueOffset} points at physical offset {PhysicalOffset} but the log holds no matching message there ({Reason}); the unit is not served")]
    public static partial void UnitMismatch(this ILogger logger, string topic, int queueId, long queueOffset, long physicalOffset, string reason);

    [LoggerMessage(EventId = 2108, Level = LogLevel.Information,
        Message = "Message store is {State} (role {Role}, term {Term}, leader {LeaderId})")]
    public static partial void WritableChanged(this ILogger logger, string state, Consensus.Core.RaftRole role, long term, string? leaderId);

    [LoggerMessage(EventId = 2109, Level = LogLevel.Warning,
        Message = "Key index file {Path} is unusable ({Reason}); it and {LaterFiles} later file(s) are deleted and the index is rebuilt from the log from pos {ResumePos}")]
    public static partial void KeyIndexFileDamaged(this ILogger logger, string path, string reason, int laterFiles, long resumePos);

    [LoggerMessage(EventId = 2110, Level = LogLevel.Information,
        Message = "Key index file {Path}: slot table rebuilt from its {Entries} entries (the last stop was not orderly)")]
    public static partial void KeyIndexSlotsRebuilt(this ILogger logger, string path, int entries);

    [LoggerMessage(EventId = 2111, Level = LogLevel.Information,
        Message = "Key index caught up with the log: {Messages} message(s) indexed from pos {FromPos} to {ToPos}")]
    public static partial void KeyIndexCaughtUp(this ILogger logger, int messages, long fromPos, long toPos);

    [LoggerMessage(EventId = 2113, Level = LogLevel.Information,
        Message = "Topic {Topic} is not in the topic table: its {Queues} ConsumeQueue(s) and {Offsets} consumer offset(s) were dropped by log entry {Index}")]
    public static partial void TopicQueuesDropped(this ILogger logger, string topic, int queues, int offsets, long index);

    [LoggerMessage(EventId = 2112, Level = LogLevel.Warning,
        Message = "Key index cannot read the log at pos {Pos} ({Reason}); messages from there to pos {UntilPos} are not indexed")]
    public static partial void KeyIndexGap(this ILogger logger, long pos, string reason, long untilPos);
}
