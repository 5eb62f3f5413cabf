using System.Buffers.Binary;
using RaftMq.Foundation.Storage;

namespace RaftMq.Consensus.Log;

/// <summary>What a checkpoint says: entries up to <see cref="Index"/> (ending at <see cref="EndPos"/>) were fsynced,
/// and so were their index units up to <see cref="IndexSyncedIndex"/> (the index is fsynced less often than the data).</summary>
internal readonly record struct Checkpoint(long Index, long EndPos, long IndexSyncedIndex);

/// <summary>
/// Remembers the last entry known to be fsynced (its index and end pos) so that recovery can tell a torn,
/// never-synced tail (truncated) from damage to data that had been synced (corruption), and how far the index
/// units are fsynced (recovery re-verifies and rebuilds the units after that point).
/// Rewritten in place after every Sync without its own fsync: it reaches the disk lazily and is a lower bound
/// of the synced prefix. Lowered durably (with fsync) before any truncation below it, so it never claims more
/// than the data holds. Layout: "RMCP" | version | index int64 | endPos int64 | index-synced index int64 | CRC32C
/// = 36 bytes; a torn or
/// damaged checkpoint is ignored (recovery then relies on the data alone).
/// </summary>
internal sealed class CheckpointFile : IDisposable
{
    public const string FileName = "checkpoint";
    private const int Magic = 0x524D4350; // "RMCP"
    private const int PayloadBytes = 24;

    private readonly IStoredFile _file;

    public CheckpointFile(string storePath, IFileSystem fileSystem)
    {
        FilePath = Path.Combine(storePath, FileName);
        _file = fileSystem.Open(FilePath);
    }

    public string FilePath { get; }

    /// <summary>The checkpoint, or null with the reason it cannot be used (null reason: there is none yet).</summary>
    public Checkpoint? Load(out string? problem)
    {
        long length = _file.Length;
        if (length == 0)
        {
            problem = null;
            return null;
        }
        var bytes = new byte[Math.Min(length, 64)];
        int read = _file.Read(0, bytes);
        var payload = CheckedRecord.Open(Magic, bytes.AsMemory(0, read), out problem);
        if (payload is null || payload.Value.Length != PayloadBytes)
        {
            problem ??= "bad length";
            return null;
        }
        var span = payload.Value.Span;
        return new Checkpoint(BinaryPrimitives.ReadInt64BigEndian(span), BinaryPrimitives.ReadInt64BigEndian(span[8..]), BinaryPrimitives.ReadInt64BigEndian(span[16..]));
    }

    public void Write(Checkpoint checkpoint, bool durable)
    {
        Span<byte> payload = stackalloc byte[PayloadBytes];
        BinaryPrimitives.WriteInt64BigEndian(payload, checkpoint.Index);
        BinaryPrimitives.WriteInt64BigEndian(payload[8..], checkpoint.EndPos);
        BinaryPrimitives.WriteInt64BigEndian(payload[16..], checkpoint.IndexSyncedIndex);
        var record = CheckedRecord.Seal(Magic, payload);
        _file.Write(0, record);
        if (_file.Length != record.Length) _file.SetLength(record.Length);
        if (durable) _file.Flush();
    }

    public void Dispose() => _file.Dispose();
}
