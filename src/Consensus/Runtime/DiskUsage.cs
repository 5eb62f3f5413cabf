namespace RaftMq.Consensus.Runtime;

/// <summary>How full the file system holding a path is.</summary>
internal static class DiskUsage
{
    /// <summary>Used fraction (0-1) of the mount that holds <paramref name="path"/> (the longest mount point that
    /// prefixes it, so a store on its own volume is measured there, not on the root file system).</summary>
    public static double UsedRatio(string path)
    {
        string full = Path.GetFullPath(path);
        DriveInfo? best = null;
        foreach (var drive in DriveInfo.GetDrives())
        {
            string root = drive.RootDirectory.FullName;
            bool holds = full.StartsWith(root, StringComparison.Ordinal)
                && (root.EndsWith(Path.DirectorySeparatorChar) || full.Length == root.Length || full[root.Length] == Path.DirectorySeparatorChar);
            if (holds && (best is null || root.Length > best.RootDirectory.FullName.Length)) best = drive;
        }
        try
        {
            if (best is null || !best.IsReady || best.TotalSize <= 0) return 0;
            return 1.0 - ((double)best.AvailableFreeSpace / best.TotalSize);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // An unreadable mount must not stop retention by age; it only loses the disk-pressure trigger.
            return 0;
        }
    }
}
