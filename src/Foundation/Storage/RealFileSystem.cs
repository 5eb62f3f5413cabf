using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace RaftMq.Foundation.Storage;

/// <summary>The operating system's file system (positional I/O through <see cref="RandomAccess"/>, mappings through
/// <see cref="System.IO.MemoryMappedFiles.MemoryMappedFile"/>).</summary>
public sealed partial class RealFileSystem : IFileSystem
{
    public static readonly RealFileSystem Instance = new();

    private RealFileSystem()
    {
    }

    public void CreateDirectory(string path) => Directory.CreateDirectory(path);

    public bool DirectoryExists(string path) => Directory.Exists(path);

    public IEnumerable<string> EnumerateDirectories(string directory) =>
        Directory.Exists(directory) ? Directory.EnumerateDirectories(directory) : [];

    public void DeleteDirectory(string directory)
    {
        if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
    }

    public bool FileExists(string path) => File.Exists(path);

    public IEnumerable<string> EnumerateFiles(string directory) =>
        Directory.Exists(directory) ? Directory.EnumerateFiles(directory) : [];

    public long GetLength(string path) => new FileInfo(path).Length;

    public DateTime GetLastWriteTimeUtc(string path) => File.GetLastWriteTimeUtc(path);

    public IStoredFile Open(string path) =>
        new RealFile(File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete));

    public IMappedFile Map(string path, bool writable) => RealMappedFile.Map(path, writable);

    public byte[]? ReadAllOrNull(string path) => File.Exists(path) ? File.ReadAllBytes(path) : null;

    public void Delete(string path) => File.Delete(path);

    public void Move(string from, string to) => File.Move(from, to, overwrite: true);

    public void SyncDirectory(string directory)
    {
        // Windows (NTFS) journals directory metadata and offers no directory handle to flush.
        if (OperatingSystem.IsWindows()) return;
        int fd = OpenReadOnly(directory, 0);
        if (fd < 0) throw new IOException($"cannot open directory {directory} to fsync it (errno {Marshal.GetLastPInvokeError()})");
        try
        {
            if (Fsync(fd) != 0) throw new IOException($"fsync of directory {directory} failed (errno {Marshal.GetLastPInvokeError()})");
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int OpenReadOnly(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);

    private sealed class RealFile(SafeFileHandle handle) : IStoredFile
    {
        public long Length => RandomAccess.GetLength(handle);

        public int Read(long offset, Span<byte> destination) => RandomAccess.Read(handle, destination, offset);

        public void Write(long offset, ReadOnlySpan<byte> data) => RandomAccess.Write(handle, data, offset);

        public void SetLength(long length) => RandomAccess.SetLength(handle, length);

        public void Flush() => RandomAccess.FlushToDisk(handle);

        public void Dispose() => handle.Dispose();
    }
}
