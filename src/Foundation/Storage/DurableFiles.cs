namespace RaftMq.Foundation.Storage;

/// <summary>
/// The atomic small-file pattern: write a temp file, fsync it, rename it over the target, fsync the directory (so
/// that the rename itself survives power loss).
/// </summary>
public static class DurableFiles
{
    private const string TempSuffix = ".tmp";

    /// <summary>Replaces <paramref name="path"/> with <paramref name="content"/> so that after a crash the file
    /// holds either the old or the new content, and the new content once this returns.</summary>
    public static void WriteAtomically(IFileSystem fileSystem, string path, ReadOnlySpan<byte> content)
    {
        ArgumentNullException.ThrowIfNull(fileSystem);
        string temp = path + TempSuffix;
        using (var file = fileSystem.Open(temp))
        {
            if (file.Length > content.Length) file.SetLength(0);
            file.Write(0, content);
            if (file.Length != content.Length) file.SetLength(content.Length);
            file.Flush();
        }
        fileSystem.Move(temp, path);
        fileSystem.SyncDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
    }

    /// <summary>The whole file, or null when it does not exist. A leftover temp file is ignored (its rename never happened).</summary>
    public static byte[]? ReadOrNull(IFileSystem fileSystem, string path)
    {
        ArgumentNullException.ThrowIfNull(fileSystem);
        return fileSystem.ReadAllOrNull(path);
    }
}
