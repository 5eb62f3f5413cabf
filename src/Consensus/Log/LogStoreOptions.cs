using RaftMq.Consensus.Core;
using RaftMq.Foundation.Storage;

namespace RaftMq.Consensus.Log;

/// <summary>
/// Where and how the segmented Raft log stores its files. <see cref="StorePath"/> holds <c>data/</c>,
/// <c>index/</c>, <c>hardstate</c>, <c>snapshot</c>, <c>base</c> and <c>checkpoint</c>.
/// </summary>
public sealed record LogStoreOptions
{
    public const long DefaultSegmentSizeBytes = 1L << 30;

    /// <summary>DLedger's default: 160 MiB index files of 32-byte units.</summary>
    public const int DefaultIndexUnitsPerFile = 5 * 1024 * 1024;

    public const long MinSegmentSizeBytes = 256;

    public required string StorePath { get; init; }

    /// <summary>Bytes per data segment file. Entries may span two (or more) segments.</summary>
    public long SegmentSizeBytes { get; init; } = DefaultSegmentSizeBytes;

    /// <summary>32-byte index units per index file.</summary>
    public int IndexUnitsPerFile { get; init; } = DefaultIndexUnitsPerFile;

    /// <summary>Term/pos of this many most recent entries are kept in memory; older ones are read from the index.</summary>
    public int CachedRecentEntries { get; init; } = 1 << 16;

    /// <summary>
    /// Open verifies (headers, body CRCs, continuity) at least this many bytes at the tail of the log. Entries
    /// below are verified when they are read.
    /// </summary>
    public long RecoveryVerifyBytes { get; init; } = 2 * DefaultSegmentSizeBytes;

    /// <summary>The disk (the simulator supplies one with faults).</summary>
    internal IFileSystem FileSystem { get; init; } = RealFileSystem.Instance;

    /// <summary>Deliberate recovery bugs for the simulator to catch (test only).</summary>
    internal PlantedBugs Bugs { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the key and its value when an option is invalid.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(StorePath))
            throw Invalid(nameof(StorePath), StorePath, "must name a directory");
        if (SegmentSizeBytes < MinSegmentSizeBytes)
            throw Invalid(nameof(SegmentSizeBytes), SegmentSizeBytes, $"must be at least {MinSegmentSizeBytes}");
        if (IndexUnitsPerFile < 1 || (long)IndexUnitsPerFile * IndexUnit.Size > int.MaxValue)
            throw Invalid(nameof(IndexUnitsPerFile), IndexUnitsPerFile, $"must be in [1, {int.MaxValue / IndexUnit.Size}]");
        if (CachedRecentEntries < 1)
            throw Invalid(nameof(CachedRecentEntries), CachedRecentEntries, "must be at least 1");
        if (RecoveryVerifyBytes < 0)
            throw Invalid(nameof(RecoveryVerifyBytes), RecoveryVerifyBytes, "must not be negative");
    }

    private static ArgumentException Invalid(string key, object? value, string rule) =>
        new($"log store option {key} = '{value}' is invalid: it {rule}", key);
}
