using RaftMq.Consensus.Configuration;

namespace RaftMq.Consensus.Runtime;

/// <summary>When log segments may be deleted (RocketMQ's fileReservedTime / deleteWhen / diskMaxUsedSpaceRatio).</summary>
internal sealed record RetentionPolicy(TimeSpan ReservedTime, IReadOnlyList<int> DeleteWhenHours, int DiskMaxUsedSpacePercent)
{
    public static RetentionPolicy From(ConsensusOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new(TimeSpan.FromHours(options.FileReservedHours), options.DeleteWhenHours, options.DiskMaxUsedSpaceRatio);
    }

    /// <summary>Due at the configured hours of the (local) day, or at any hour while the disk is fuller than the limit.</summary>
    public bool IsDue(DateTimeOffset localNow, double diskUsedRatio) =>
        DeleteWhenHours.Contains(localNow.Hour) || diskUsedRatio * 100 > DiskMaxUsedSpacePercent;

    /// <summary>Segments last written before this instant are expired.</summary>
    public DateTimeOffset ExpiredBefore(DateTimeOffset now) => now - ReservedTime;
}

/// <summary>What a retention pass did: the snapshot it saved (-1 when none was needed or possible), segments deleted,
/// and the log's first index afterwards.</summary>
public readonly record struct RetentionResult(long SnapshotIndex, int DeletedSegments, long FirstIndex)
{
    public static readonly RetentionResult Nothing = new(-1, 0, -1);
}
