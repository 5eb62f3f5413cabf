using System.Buffers.Binary;
using System.Text;
using RaftMq.Consensus.Core;
using RaftMq.Foundation.Storage;

namespace RaftMq.Consensus.Log;

/// <summary>
/// Persists <see cref="HardState"/> atomically and durably (temp file, fsync, rename, fsync directory).
/// Layout: "RMHS" | version | term int64 | commit int64 | votedFor UTF-8 length int32 (-1 = none) | votedFor | CRC32C.
/// A damaged file is refused with <see cref="InvalidDataException"/>: silently restarting at term 0 could let
/// this node vote twice in a term.
/// </summary>
internal sealed class HardStateFile
{
    public const string FileName = "hardstate";
    private const int Magic = 0x524D4853; // "RMHS"

    private readonly IFileSystem _fileSystem;

    public HardStateFile(string storePath)
        : this(storePath, RealFileSystem.Instance)
    {
    }

    internal HardStateFile(string storePath, IFileSystem fileSystem)
    {
        _fileSystem = fileSystem;
        fileSystem.CreateDirectory(storePath);
        FilePath = Path.Combine(storePath, FileName);
    }

    public string FilePath { get; }

    /// <summary>The saved state, or <see cref="HardState.Empty"/> when none was ever saved.</summary>
    public HardState Load()
    {
        var bytes = DurableFiles.ReadOrNull(_fileSystem, FilePath);
        if (bytes is null) return HardState.Empty;
        var payload = CheckedRecord.Open(Magic, bytes, out var problem)
            ?? throw Corrupt(problem!);
        var span = payload.Span;
        if (span.Length < 20) throw Corrupt("payload too short");
        int votedForLength = BinaryPrimitives.ReadInt32BigEndian(span[16..]);
        if (votedForLength < -1 || 20 + Math.Max(votedForLength, 0) != span.Length) throw Corrupt("bad votedFor length");
        string? votedFor = votedForLength < 0 ? null : Encoding.UTF8.GetString(span.Slice(20, votedForLength));
        return new HardState(BinaryPrimitives.ReadInt64BigEndian(span), votedFor, BinaryPrimitives.ReadInt64BigEndian(span[8..]));
    }

    public void Save(HardState state)
    {
        int votedForLength = state.VotedFor is null ? -1 : Encoding.UTF8.GetByteCount(state.VotedFor);
        var payload = new byte[20 + Math.Max(votedForLength, 0)];
        BinaryPrimitives.WriteInt64BigEndian(payload, state.Term);
        BinaryPrimitives.WriteInt64BigEndian(payload.AsSpan(8), state.Commit);
        BinaryPrimitives.WriteInt32BigEndian(payload.AsSpan(16), votedForLength);
        if (state.VotedFor is not null) Encoding.UTF8.GetBytes(state.VotedFor, payload.AsSpan(20));
        DurableFiles.WriteAtomically(_fileSystem, FilePath, CheckedRecord.Seal(Magic, payload));
    }

    private InvalidDataException Corrupt(string problem) =>
        new($"hard state file {FilePath} is corrupt ({problem}); refusing to start with an unknown term and vote. " +
            "See docs/operations/corrupt-log.md");
}
