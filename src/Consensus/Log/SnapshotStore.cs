using System.Buffers.Binary;
using RaftMq.Consensus.Core;
using RaftMq.Foundation.Storage;

namespace RaftMq.Consensus.Log;

/// <summary>
/// Keeps the latest state-machine snapshot in one file, replaced atomically and durably.
/// Layout: "RMSN" | version | index int64 | term int64 | nextPos int64 | data length int32 | data
/// [| membership length int32 | membership] | CRC32C (files written before configurations were replicated end after the data).
/// </summary>
internal sealed class SnapshotStore
{
    public const string FileName = "snapshot";
    private const int Magic = 0x524D534E; // "RMSN"
    private const int FixedPayload = 28;

    private readonly IFileSystem _fileSystem;

    public SnapshotStore(string storePath)
        : this(storePath, RealFileSystem.Instance)
    {
    }

    internal SnapshotStore(string storePath, IFileSystem fileSystem)
    {
        _fileSystem = fileSystem;
        fileSystem.CreateDirectory(storePath);
        FilePath = Path.Combine(storePath, FileName);
    }

    public string FilePath { get; }

    /// <summary>The saved snapshot or null; throws <see cref="InvalidDataException"/> when the file is damaged.</summary>
    public Snapshot? Load()
    {
        var bytes = DurableFiles.ReadOrNull(_fileSystem, FilePath);
        if (bytes is null) return null;
        var payload = CheckedRecord.Open(Magic, bytes, out var problem) ?? throw Corrupt(problem!);
        var span = payload.Span;
        if (span.Length < FixedPayload) throw Corrupt("payload too short");
        int dataLength = BinaryPrimitives.ReadInt32BigEndian(span[24..]);
        if (dataLength < 0 || dataLength > span.Length - FixedPayload) throw Corrupt("bad data length");
        var snapshot = new Snapshot(
            BinaryPrimitives.ReadInt64BigEndian(span),
            BinaryPrimitives.ReadInt64BigEndian(span[8..]),
            BinaryPrimitives.ReadInt64BigEndian(span[16..]),
            payload.Slice(FixedPayload, dataLength));
        var rest = span[(FixedPayload + dataLength)..];
        if (rest.IsEmpty) return snapshot;
        if (rest.Length < 4 || BinaryPrimitives.ReadInt32BigEndian(rest) != rest.Length - 4) throw Corrupt("bad membership length");
        try
        {
            return snapshot with { Membership = Membership.Decode(rest[4..]) };
        }
        catch (FormatException e)
        {
            throw Corrupt(e.Message);
        }
    }

    public void Save(Snapshot snapshot)
    {
        byte[] membership = snapshot.Membership?.Encode() ?? [];
        var payload = new byte[FixedPayload + snapshot.Data.Length + (membership.Length == 0 ? 0 : 4 + membership.Length)];
        BinaryPrimitives.WriteInt64BigEndian(payload, snapshot.Index);
        BinaryPrimitives.WriteInt64BigEndian(payload.AsSpan(8), snapshot.Term);
        BinaryPrimitives.WriteInt64BigEndian(payload.AsSpan(16), snapshot.NextPos);
        BinaryPrimitives.WriteInt32BigEndian(payload.AsSpan(24), snapshot.Data.Length);
        snapshot.Data.Span.CopyTo(payload.AsSpan(FixedPayload));
        if (membership.Length > 0)
        {
            int at = FixedPayload + snapshot.Data.Length;
            BinaryPrimitives.WriteInt32BigEndian(payload.AsSpan(at), membership.Length);
            membership.CopyTo(payload.AsSpan(at + 4));
        }
        DurableFiles.WriteAtomically(_fileSystem, FilePath, CheckedRecord.Seal(Magic, payload));
    }

    private InvalidDataException Corrupt(string problem) => new($"snapshot file {FilePath} is corrupt ({problem})");
}
