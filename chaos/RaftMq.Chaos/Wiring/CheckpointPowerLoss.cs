using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RaftMq.Chaos.Cluster;
using RaftMq.Chaos.Nemesis;
using RaftMq.Consensus.Log;

namespace RaftMq.Chaos.Wiring;

/// <summary>
/// Power loss for a killed node: every byte of its Raft data segments past the last fsynced position is dropped.
/// The fsynced position is what the log store's checkpoint says, read through Consensus's <see cref="StoredLogFiles"/>
/// (the checkpoint is rewritten after every Sync and read by nobody while the process is dead). Under SYNC_FLUSH an
/// entry is acknowledged only after that rewrite, so this drops exactly what no one was promised; under ASYNC_FLUSH it
/// drops what the flush timer had not reached yet.
/// Index files are left to recovery, which cuts units beyond the last entry.
/// </summary>
public sealed class CheckpointPowerLoss(ILogger? logger = null) : IPowerLossSimulator
{
    private readonly ILogger _logger = logger ?? NullLogger.Instance;

    public Task DropUnsyncedWritesAsync(NodeLayout node, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(node);
        foreach (var store in StoredLogFiles.FindLogStores(node.StoreDirectory))
        {
            cancellationToken.ThrowIfCancellationRequested();
            // no checkpoint yet: nothing was ever synced, so nothing survives
            var syncedEnd = StoredLogFiles.ReadSyncedEndPos(store) ?? 0;
            var dropped = TruncateSegments(store, syncedEnd);
            WiringLog.UnsyncedWritesDropped(_logger, node.Id, store, syncedEnd, dropped);
        }

        return Task.CompletedTask;
    }

    /// <summary>Cuts every data segment of a log store at <paramref name="syncedEnd"/>; returns the bytes dropped.</summary>
    public static long TruncateSegments(string storePath, long syncedEnd)
    {
        long dropped = 0;
        foreach (var (file, start) in StoredLogFiles.DataSegments(storePath))
        {
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
