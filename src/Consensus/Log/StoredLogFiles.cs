using System.Globalization;
using RaftMq.Foundation.Storage;

namespace RaftMq.Consensus.Log;

/// <summary>
/// Read-only facts about the log store of a stopped node, for tools outside the node (the chaos harness's power-loss
/// simulator): which folders hold a log, how far its data is known to be fsynced, and its data segments. The file
/// formats stay private to this assembly.
/// </summary>
public static class StoredLogFiles
{
    /// <summary>Folders under <paramref name="root"/> (itself included) that hold a Raft log: a data folder beside a
    /// checkpoint or hard state, in ordinal order.</summary>
    public static IReadOnlyList<string> FindLogStores(string root) =>
        Directory.Exists(root)
            ? [.. Directory.EnumerateDirectories(root, SegmentedLog.DataDirectory, SearchOption.AllDirectories)
                .Select(data => Path.GetDirectoryName(data)!)
                .Where(store => File.Exists(Path.Combine(store, CheckpointFile.FileName)) || File.Exists(Path.Combine(store, HardStateFile.FileName)))
                .Order(StringComparer.Ordinal)]
            : [];

    /// <summary>
    /// The end position of the entries the checkpoint says were fsynced; null when the store has no checkpoint
    /// (nothing was ever synced). A checkpoint that cannot be read throws <see cref="InvalidDataException"/>: a tool
    /// that guessed would either keep unsynced data or destroy synced data.
    /// </summary>
    public static long? ReadSyncedEndPos(string storePath)
    {
        if (!File.Exists(Path.Combine(storePath, CheckpointFile.FileName))) return null;
        using var file = new CheckpointFile(storePath, RealFileSystem.Instance);
        var checkpoint = file.Load(out string? problem);
        if (checkpoint is null)
            throw new InvalidDataException($"{file.FilePath} is not a valid log checkpoint ({problem ?? "empty"})");
        return checkpoint.Value.EndPos;
    }

    /// <summary>The data segment files of a store with the log position each starts at, in position order.</summary>
    public static IReadOnlyList<(string Path, long StartPos)> DataSegments(string storePath)
    {
        string data = Path.Combine(storePath, SegmentedLog.DataDirectory);
        if (!Directory.Exists(data)) return [];
        var segments = new List<(string, long)>();
        foreach (string file in Directory.EnumerateFiles(data))
        {
            if (long.TryParse(Path.GetFileName(file), NumberStyles.None, CultureInfo.InvariantCulture, out long start)) segments.Add((file, start));
        }
        return [.. segments.OrderBy(segment => segment.Item2)];
    }
}
