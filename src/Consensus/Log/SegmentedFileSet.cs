using System.Globalization;
using RaftMq.Foundation.Storage;

namespace RaftMq.Consensus.Log;

/// <summary>
/// A byte space cut into equally sized files: global offset o lives in file floor(o / fileSize) at
/// o % fileSize. Files are named by a 20-digit number, their start offset divided by <c>nameDivisor</c>
/// (1 for data segments: the start pos; 32 for index files: the first index). Files are created on first
/// write and never padded, so the last file's length marks the end of the written bytes.
/// Structural changes (write, truncate, delete) must come from one thread at a time; reads may run in
/// parallel with each other.
/// </summary>
internal sealed class SegmentedFileSet : IDisposable
{
    private readonly SortedDictionary<long, SegmentFile> _files = new();
    private readonly List<string> _misfits = [];
    private readonly long _nameDivisor;
    private readonly IFileSystem _fileSystem;
    private bool _directoryDirty;

    public SegmentedFileSet(IFileSystem fileSystem, string directory, long fileSize, long nameDivisor)
    {
        _fileSystem = fileSystem;
        fileSystem.CreateDirectory(directory);
        DirectoryPath = directory;
        FileSize = fileSize;
        _nameDivisor = nameDivisor;
        foreach (var path in fileSystem.EnumerateFiles(directory))
        {
            string name = Path.GetFileName(path);
            if (name.Length != 20 || !long.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out long number)) continue;
            long start = number * nameDivisor;
            long length = fileSystem.GetLength(path);
            if (start % fileSize != 0 || length > fileSize)
            {
                Anomaly ??= $"file {path} ({length} bytes) does not fit files of {fileSize} bytes (was the segment size changed?)";
                _misfits.Add(path);
                continue;
            }
            _files.Add(start / fileSize, new SegmentFile(fileSystem, path));
        }
    }

    public string DirectoryPath { get; }

    /// <summary>Set when the directory holds a numbered file that cannot belong to this set (it is left alone).</summary>
    public string? Anomaly { get; private set; }
    public long FileSize { get; }
    public int FileCount => _files.Count;

    /// <summary>File numbers (start offset / file size) in ascending order.</summary>
    public IEnumerable<long> FileNumbers => _files.Keys;

    /// <summary>One past the last byte of the last file, or 0 when there are no files.</summary>
    public long EndOffset
    {
        get
        {
            if (_files.Count == 0) return 0;
            var (number, file) = _files.Last();
            return (number * FileSize) + file.Handle.Length;
        }
    }

    public string PathFor(long offset) =>
        Path.Combine(DirectoryPath, (offset / FileSize * FileSize / _nameDivisor).ToString("D20", CultureInfo.InvariantCulture));

    public long FileOffset(long offset) => offset % FileSize;

    public void Write(long offset, ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            long number = offset / FileSize;
            int chunk = (int)Math.Min(data.Length, ((number + 1) * FileSize) - offset);
            var file = GetOrCreate(number);
            file.Handle.Write(offset - (number * FileSize), data[..chunk]);
            file.Dirty = true;
            data = data[chunk..];
            offset += chunk;
        }
    }

    /// <summary>Copies bytes from <paramref name="offset"/> on; returns how many were available (a missing file or
    /// the end of a short file stops the copy).</summary>
    public int Read(long offset, Span<byte> destination)
    {
        int total = 0;
        while (total < destination.Length)
        {
            long number = offset / FileSize;
            if (!_files.TryGetValue(number, out var file)) break;
            int want = (int)Math.Min(destination.Length - total, ((number + 1) * FileSize) - offset);
            int got = ReadFully(file.Handle, destination.Slice(total, want), offset - (number * FileSize));
            total += got;
            offset += got;
            if (got < want) break;
        }
        return total;
    }

    /// <summary>Drops every byte at or after <paramref name="offset"/>. Files go newest first: deletions reach the disk
    /// in the order they were made, so a crash part-way leaves a shorter contiguous set, never a hole (which recovery
    /// must call corruption).</summary>
    public void TruncateTo(long offset)
    {
        foreach (long number in _files.Keys.Where(n => n * FileSize >= offset).Reverse().ToList()) Delete(number);
        long containing = offset / FileSize;
        if (_files.TryGetValue(containing, out var file) && file.Handle.Length > offset - (containing * FileSize))
        {
            file.Handle.SetLength(offset - (containing * FileSize));
            file.Dirty = true;
        }
    }

    /// <summary>Deletes the files that end at or below <paramref name="offset"/>; returns how many.</summary>
    public int DeleteFilesBelow(long offset)
    {
        var doomed = _files.Keys.Where(n => (n + 1) * FileSize <= offset).ToList();
        foreach (long number in doomed) Delete(number);
        return doomed.Count;
    }

    /// <summary>Deletes every file of the set, including numbered files that did not fit it (see <see cref="Anomaly"/>);
    /// newest first, for the reason given at <see cref="TruncateTo"/>.</summary>
    public void DeleteAll()
    {
        foreach (long number in _files.Keys.Reverse().ToList()) Delete(number);
        foreach (string path in _misfits) _fileSystem.Delete(path);
        if (_misfits.Count > 0) _directoryDirty = true;
        _misfits.Clear();
        Anomaly = null;
    }

    /// <summary>Takes the handles written since the last call (and whether the directory changed) for an fsync.</summary>
    public PendingSync TakePendingSync()
    {
        var handles = new List<IStoredFile>();
        foreach (var file in _files.Values)
        {
            if (!file.Dirty) continue;
            handles.Add(file.Handle);
            file.Dirty = false;
        }
        var pending = new PendingSync(_fileSystem, handles, _directoryDirty ? DirectoryPath : null);
        _directoryDirty = false;
        return pending;
    }

    /// <summary>fsyncs every file that holds bytes at or after <paramref name="offset"/> (recovery: data that survived
    /// a process crash may exist only in the page cache).</summary>
    public void SyncFilesFrom(long offset)
    {
        foreach (var (number, file) in _files)
            if ((number + 1) * FileSize > offset) file.Dirty = true;
        _directoryDirty = true;
        SyncNow();
    }

    /// <summary>fsyncs everything written so far (used for the rare structural changes).</summary>
    public void SyncNow() => TakePendingSync().Run();

    public void Dispose()
    {
        foreach (var file in _files.Values) file.Dispose();
        _files.Clear();
    }

    private SegmentFile GetOrCreate(long number)
    {
        if (_files.TryGetValue(number, out var file)) return file;
        file = new SegmentFile(_fileSystem, PathFor(number * FileSize));
        _ = file.Handle; // creates it now, so that the directory entry is known to need an fsync
        _files.Add(number, file);
        _directoryDirty = true;
        return file;
    }

    private void Delete(long number)
    {
        var file = _files[number];
        _files.Remove(number);
        file.Dispose();
        _fileSystem.Delete(file.Path);
        _directoryDirty = true;
    }

    private static int ReadFully(IStoredFile handle, Span<byte> destination, long fileOffset)
    {
        int total = 0;
        while (total < destination.Length)
        {
            int got = handle.Read(fileOffset + total, destination[total..]);
            if (got == 0) break;
            total += got;
        }
        return total;
    }

    /// <summary>fsyncs to run outside the log's lock.</summary>
    public readonly record struct PendingSync(IFileSystem? FileSystem, List<IStoredFile>? Handles, string? Directory)
    {
        public void Run()
        {
            if (Handles is not null)
                foreach (var handle in Handles) handle.Flush();
            if (Directory is not null) FileSystem!.SyncDirectory(Directory);
        }
    }

    private sealed class SegmentFile(IFileSystem fileSystem, string path) : IDisposable
    {
        private readonly Lock _openLock = new();
        private volatile IStoredFile? _handle;

        public string Path { get; } = path;
        public bool Dirty { get; set; }

        /// <summary>Opened on first use: readers of old segments should not hold every file open from the start.</summary>
        public IStoredFile Handle
        {
            get
            {
                if (_handle is not null) return _handle;
                lock (_openLock)
                    return _handle ??= fileSystem.Open(Path);
            }
        }

        public void Dispose() => _handle?.Dispose();
    }
}
