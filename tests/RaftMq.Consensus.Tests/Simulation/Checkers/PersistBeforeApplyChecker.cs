using System.Globalization;
using RaftMq.Consensus.Core;
using RaftMq.Consensus.Log;
using RaftMq.Consensus.Tests.Simulation.Storage;

namespace RaftMq.Consensus.Tests.Simulation.Checkers;

/// <summary>
/// Persist before apply (SYNC_FLUSH): an entry a node applies (and acknowledges to its client) is already fsynced in
/// that node's own log, byte for byte, so no crash can take back what the node made visible. Reads the durable
/// image of the simulated disk, which the node itself cannot see.
/// </summary>
internal sealed class PersistBeforeApplyChecker(long segmentSize)
{
    public void OnApply(string node, SimFileSystem disk, string storePath, LogEntry entry)
    {
        var expected = new byte[entry.Size];
        EntryCodec.Encode(entry, expected);
        var durable = new byte[entry.Size];
        int filled = 0;
        while (filled < durable.Length)
        {
            long pos = entry.Pos + filled;
            long start = pos / segmentSize * segmentSize;
            string path = Path.Combine(storePath, "data", start.ToString("D20", CultureInfo.InvariantCulture));
            int want = (int)Math.Min(durable.Length - filled, start + segmentSize - pos);
            int got = disk.ReadDurable(path, pos - start, durable.AsSpan(filled, want));
            if (got < want) break;
            filled += got;
        }
        if (filled < durable.Length || !durable.AsSpan().SequenceEqual(expected))
        {
            throw new SimulationViolationException(
                $"persist before apply: {node} applied entry {entry.Index} (term {entry.Term}, pos {entry.Pos}) that is not fsynced in its own log");
        }
    }
}
