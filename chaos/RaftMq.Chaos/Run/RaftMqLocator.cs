using RaftMq.Chaos.Cluster;

namespace RaftMq.Chaos.Run;

/// <summary>Finds the built <c>raftmq</c> (src/Cli output) and turns a path into a <see cref="RaftMqCommand"/>.</summary>
public static class RaftMqLocator
{
    public const string SolutionFile = "RaftMq.sln";

    /// <summary>The repository root: the first directory at or above <paramref name="start"/> holding RaftMq.sln.</summary>
    public static string? FindRepositoryRoot(string start)
    {
        for (var directory = new DirectoryInfo(Path.GetFullPath(start)); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, SolutionFile)))
            {
                return directory.FullName;
            }
        }

        return null;
    }

    /// <summary>Candidate build outputs of src/Cli, Release first.</summary>
    public static IReadOnlyList<string> Candidates(string repositoryRoot) =>
    [
        .. new[] { "Release", "Debug" }.Select(configuration =>
            Path.Combine(repositoryRoot, "src", "Cli", "bin", configuration, "net10.0", "raftmq.dll")),
    ];

    /// <summary>The most recently built raftmq.dll (Release or Debug) of the repository above <paramref name="start"/>, or null.</summary>
    public static string? FindBuiltDll(string start)
    {
        var root = FindRepositoryRoot(start);
        return root is null
            ? null
            : Candidates(root).Where(File.Exists).OrderByDescending(File.GetLastWriteTimeUtc).FirstOrDefault();
    }

    /// <summary><c>dotnet PATH</c> for a .dll, the file itself for an apphost or script.</summary>
    public static RaftMqCommand CommandFor(string path)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new FileNotFoundException($"raftmq not found at {full}; build it with 'dotnet build src/Cli -c Release'", full);
        }

        return full.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)
            ? new RaftMqCommand("dotnet", [full])
            : new RaftMqCommand(full, []);
    }
}
