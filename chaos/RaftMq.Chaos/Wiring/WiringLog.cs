using Microsoft.Extensions.Logging;

namespace RaftMq.Chaos.Wiring;

/// <summary>Log events of the run command and its RaftMq wiring (chaos event ids 6400-6499).</summary>
internal static partial class WiringLog
{
    [LoggerMessage(EventId = 6400, Level = LogLevel.Information,
        Message = "power loss on {Node}: {Store} cut to synced end pos {SyncedEnd}, {Dropped} unsynced bytes dropped")]
    public static partial void UnsyncedWritesDropped(ILogger logger, string node, string store, long syncedEnd, long dropped);

    [LoggerMessage(EventId = 6401, Level = LogLevel.Information, Message = "cluster laid out in {Directory}: {Nodes} nodes, {FlushDiskType}, name server {NameServer}")]
    public static partial void LaidOut(ILogger logger, string directory, int nodes, string flushDiskType, string nameServer);

    [LoggerMessage(EventId = 6402, Level = LogLevel.Information, Message = "leader {Leader} elected; node states: {States}")]
    public static partial void LeaderElected(ILogger logger, string leader, string states);

    [LoggerMessage(EventId = 6403, Level = LogLevel.Information, Message = "topic {Topic} created with {Queues} queues")]
    public static partial void TopicReady(ILogger logger, string topic, int queues);

    [LoggerMessage(EventId = 6404, Level = LogLevel.Warning, Message = "topic {Topic} not created yet: {Reason}")]
    public static partial void TopicRetry(ILogger logger, string topic, string reason);

    [LoggerMessage(EventId = 6405, Level = LogLevel.Information, Message = "phase {Phase}: {Detail}")]
    public static partial void Phase(ILogger logger, string phase, string detail);

    [LoggerMessage(EventId = 6406, Level = LogLevel.Warning, Message = "no leader after the run healed; node states: {States}")]
    public static partial void NoLeaderAfterHeal(ILogger logger, string states);
}
