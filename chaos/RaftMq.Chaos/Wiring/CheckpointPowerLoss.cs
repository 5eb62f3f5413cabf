using System.Buffers.Binary;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RaftMq.Chaos.Cluster;
using RaftMq.Chaos.Nemesis;
using RaftMq.Foundation.Checksums;

namespace RaftMq.Chaos.Wiring;

/// <summary>
/// Power loss for a killed node: every byte of its Raft data segments past the last fsynced position is dropped.
/// The fsynced position is the <c>endPos</c> of the log store's <c>checkpoint</c> record (docs/design/log-format.md:
/// "RMCP" | version | index | endPos | index-synced index | CRC32C, big-endian), rewritten after every Sync and read
/// by nobody while the process is dead. Under SYNC_FLUSH an entry is acknowledged only after that rewrite, so this
/// drops exactly what no one was promised; under ASYNC_FLUSH it drops what the flush timer had not reached yet.
/// Index files are left to recovery, which cuts units beyond the last entry.
/// </summary>
public sealed class CheckpointPowerLoss(ILogger? logger = null) : IPowerLossSimulator
{
    public const string CheckpointFileName = "checkpoint";
    private const int Magic = 0x524D4350; // "RMCP"
    private const int RecordBytes = 36;

    private readonly ILogger _logger = logger ?? NullLogger.Instance;

    public Task DropUnsyncedWritesAsync(NodeLayout node, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(node);
        foreach (var store in FindLogStores(node.StoreDirectory))
        {
            cancellationToken.ThrowIfCancellationRequested();
            // no checkpoint yet: nothing was ever synced, so nothing survives
            var syncedEnd = ReadSyncedEndPos(Path.Combine(store, CheckpointFileName)) ?? 0;
            var dropped = TruncateSegments(Path.Combine(store, "data"), syncedEnd);
            WiringLog.UnsyncedWritesDropped(_logger, node.Id, store, syncedEnd, dropped);
        }

        return Task.CompletedTask;
    }

    /// <summary>Directories under a node's store that hold a Raft log (a <c>data</c> folder beside a checkpoint or hard state).</summary>
    public static IReadOnlyList<string> FindLogStores(string storeDirectory) =>
        Directory.Exists(storeDirectory)
            ? [.. Directory.EnumerateDirectories(storeDirectory, "data", SearchOption.AllDirectories)
                .Select(data => Path.GetDirectoryName(data)!)
                .Where(dir => File.Exists(Path.Combine(dir, CheckpointFileName)) || File.Exists(Path.Combine(dir, "hardstate")))
                .Order(StringComparer.Ordinal)]
            : [];

    /// <summary>
    /// The checkpoint's end pos; null when there is no checkpoint file (nothing was ever synced). A file that is not a
    /// valid checkpoint record throws: guessing would either keep unsynced data or destroy synced data.
    /// </summary>
    public static long? ReadSyncedEndPos(string checkpointPath)
    {
        if (!File.Exists(checkpointPath))
        {
            return null;
        }

        var bytes = File.ReadAllBytes(checkpointPath);
        if (bytes.Length < RecordBytes
            || BinaryPrimitives.ReadInt32BigEndian(bytes) != Magic
            || BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(RecordBytes - 4)) != Crc32C.Compute(bytes.AsSpan(0, RecordBytes - 4)))
        {
            throw new InvalidDataException($"{checkpointPath} is not a valid log checkpoint record ({bytes.Length} bytes); power loss not simulated");
        }

        return BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(16));
    }

    /// <summary>Cuts every data segment (named by its 20-digit start pos) at <paramref name="syncedEnd"/>; returns the bytes dropped.</summary>
    public static long TruncateSegments(string dataDirectory, long syncedEnd)
    {
        if (!Directory.Exists(dataDirectory))
        {
            return 0;
        }

        long dropped = 0;
        foreach (var file in Directory.EnumerateFiles(dataDirectory))
        {
            if (!long.TryParse(Path.GetFileName(file), NumberStyles.None, CultureInfo.InvariantCulture, out var start))
            {
                continue;
            }

            var length = new FileInfo(file).Length;
            var keep = Math.Clamp(syncedEnd - start, 0, length);
            if (keep < length)
            {
                using var stream = new FileStream(file, FileMode.Open, FileAccess.Write);
                stream.SetLength(keep);
                stream.Flush(flushToDisk: true);
                dropped += length - keep;
            }
        }

        return dropped;
    }
}
