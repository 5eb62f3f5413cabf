namespace RaftMq.Foundation.Storage;

/// <summary>
/// Everything the Raft log store, the hard-state file, the snapshot and the broker's derived files (ConsumeQueues, key
/// index, store checkpoint) do to a disk. The real implementation is <see cref="RealFileSystem"/>; the deterministic
/// simulator supplies one that loses unsynced writes at a crash, tears writes, fails fsyncs, corrupts reads and runs
/// out of space, so that the code that runs in production is the code that runs under a seed.
/// </summary>
public interface IFileSystem
{
    void CreateDirectory(string path);

    bool DirectoryExists(string path);

    /// <summary>Full paths of the directories directly in <paramref name="directory"/> (none when it does not exist).</summary>
    IEnumerable<string> EnumerateDirectories(string directory);

    /// <summary>Deletes <paramref name="directory"/> with everything in it (nothing when it does not exist).</summary>
    void DeleteDirectory(string directory);

    bool FileExists(string path);

    /// <summary>Full paths of the files directly in <paramref name="directory"/> (none when it does not exist).</summary>
    IEnumerable<string> EnumerateFiles(string directory);

    long GetLength(string path);

    DateTime GetLastWriteTimeUtc(string path);

    /// <summary>Opens (creating when absent) a file for reading and writing at offsets.</summary>
    IStoredFile Open(string path);

    /// <summary>
    /// Maps the whole existing file into memory. Writes through the mapping reach the disk at the latest at
    /// <see cref="IMappedFile.Flush"/>; before that, any part of them (page by page) may or may not survive a crash.
    /// </summary>
    IMappedFile Map(string path, bool writable);

    /// <summary>The whole file, or null when it does not exist.</summary>
    byte[]? ReadAllOrNull(string path);

    void Delete(string path);

    /// <summary>Renames <paramref name="from"/> over <paramref name="to"/> (replacing it).</summary>
    void Move(string from, string to);

    /// <summary>Makes creations, renames and deletions of entries in <paramref name="directory"/> durable.</summary>
    void SyncDirectory(string directory);
}

/// <summary>An open file: positional reads and writes, truncation and fsync.</summary>
public interface IStoredFile : IDisposable
{
    long Length { get; }

    /// <summary>Reads up to destination.Length bytes at <paramref name="offset"/>; fewer (or 0) at the end of the file.</summary>
    int Read(long offset, Span<byte> destination);

    void Write(long offset, ReadOnlySpan<byte> data);

    void SetLength(long length);

    /// <summary>fsync: the file's written bytes survive a power loss once this returns; throws IOException when it fails.</summary>
    void Flush();
}

/// <summary>A file mapped into memory (its length fixed while mapped): spans read and write it in place.</summary>
public interface IMappedFile : IDisposable
{
    long Length { get; }

    /// <summary>The bytes [offset, offset + length) of the mapping; valid until the mapping is disposed.</summary>
    Span<byte> GetSpan(long offset, int length);

    /// <summary>msync: every write through the mapping survives a power loss once this returns.</summary>
    void Flush();
}
