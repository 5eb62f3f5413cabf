using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace RaftMq.Consensus.Log;

/// <summary>
/// fsync helpers and the atomic small-file pattern: write a temp file, fsync it, rename it over the target,
/// fsync the directory (so that the rename itself survives power loss).
/// </summary>
internal static partial class DurableFiles
{
    private const string TempSuffix = ".tmp";

    /// <summary>Replaces <paramref name="path"/> with <paramref name="content"/> so that after a crash the file
    /// holds either the old or the new content, and the new content once this returns.</summary>
    public static void WriteAtomically(string path, ReadOnlySpan<byte> content)
    {
        string temp = path + TempSuffix;
        using (var handle = File.OpenHandle(temp, FileMode.Create, FileAccess.ReadWrite, FileShare.None))
        {
            RandomAccess.Write(handle, content, 0);
            RandomAccess.FlushToDisk(handle);
        }
        File.Move(temp, path, overwrite: true);
        SyncDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
    }

    /// <summary>The whole file, or null when it does not exist. A leftover temp file is ignored (its rename never happened).</summary>
    public static byte[]? ReadOrNull(string path) => File.Exists(path) ? File.ReadAllBytes(path) : null;

    /// <summary>Makes creations, renames and deletions of entries in <paramref name="directory"/> durable.</summary>
    public static void SyncDirectory(string directory)
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

    public static void SyncFile(SafeFileHandle handle) => RandomAccess.FlushToDisk(handle);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int OpenReadOnly(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
