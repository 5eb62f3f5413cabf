using System.Buffers.Binary;
using RaftMq.Foundation.Storage;

namespace RaftMq.Consensus.Log;

/// <summary>
/// The entry just before the first retained one: its index and term (so TermAt(FirstIndex - 1) answers) and
/// the pos of the first retained entry. <see cref="ResetPending"/> marks an InstallSnapshot that had not yet
/// deleted the old files when it was interrupted; Open finishes it.
/// </summary>
internal readonly record struct BaseRecord(long Index, long Term, long Pos, bool ResetPending)
{
    public static readonly BaseRecord Empty = new(0, 0, 0, false);
}

/// <summary>The durable "base" file. Layout: "RMBS" | version | index int64 | term int64 | pos int64 | flags int32 | CRC32C.</summary>
internal sealed class BaseRecordFile(string storePath, IFileSystem fileSystem)
{
    public const string FileName = "base";
    private const int Magic = 0x524D4253; // "RMBS"

    public string FilePath { get; } = Path.Combine(storePath, FileName);

    public BaseRecord Load()
    {
        var bytes = DurableFiles.ReadOrNull(fileSystem, FilePath);
        if (bytes is null) return BaseRecord.Empty;
        var payload = CheckedRecord.Open(Magic, bytes, out var problem);
        if (payload is null || payload.Value.Length != 28)
            throw new InvalidDataException($"base record {FilePath} is corrupt ({problem ?? "bad length"})");
        var span = payload.Value.Span;
        return new BaseRecord(
            BinaryPrimitives.ReadInt64BigEndian(span),
            BinaryPrimitives.ReadInt64BigEndian(span[8..]),
            BinaryPrimitives.ReadInt64BigEndian(span[16..]),
            (BinaryPrimitives.ReadInt32BigEndian(span[24..]) & 1) != 0);
    }

    public void Save(BaseRecord record)
    {
        Span<byte> payload = stackalloc byte[28];
        BinaryPrimitives.WriteInt64BigEndian(payload, record.Index);
        BinaryPrimitives.WriteInt64BigEndian(payload[8..], record.Term);
        BinaryPrimitives.WriteInt64BigEndian(payload[16..], record.Pos);
        BinaryPrimitives.WriteInt32BigEndian(payload[24..], record.ResetPending ? 1 : 0);
        DurableFiles.WriteAtomically(fileSystem, FilePath, CheckedRecord.Seal(Magic, payload));
    }
}
