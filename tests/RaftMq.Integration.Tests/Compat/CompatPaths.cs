using System.Diagnostics;

namespace RaftMq.Integration.Tests.Compat;

/// <summary>Where the node compatibility suite lives, and making sure its pinned ali-ons is installed.</summary>
internal static class CompatPaths
{
    private static readonly Lazy<string> Root = new(FindRepositoryRoot);
    private static readonly SemaphoreSlim InstallLock = new(1, 1);

    /// <summary>tests/compat of this repository.</summary>
    public static string CompatDirectory => Path.Combine(Root.Value, "tests", "compat");

    /// <summary>The raftmq executable: RAFTMQ_DLL when set, else the copy next to this test assembly (the project
    /// references src/Cli).</summary>
    public static string RaftMqDll =>
        Environment.GetEnvironmentVariable("RAFTMQ_DLL") is { Length: > 0 } dll ? dll : Path.Combine(AppContext.BaseDirectory, "raftmq.dll");

    /// <summary>Runs <c>npm ci</c> (ali-ons as pinned by package-lock.json) unless node_modules already holds it.</summary>
    public static async Task EnsureAliOnsInstalledAsync()
    {
        await InstallLock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (File.Exists(Path.Combine(CompatDirectory, "node_modules", "ali-ons", "package.json"))) return;
            var info = new ProcessStartInfo("npm", "ci --no-audit --no-fund --loglevel=error")
            {
                WorkingDirectory = CompatDirectory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var npm = Process.Start(info) ?? throw new InvalidOperationException("could not start npm");
            var output = npm.StandardOutput.ReadToEndAsync();
            var errors = npm.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            await npm.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            if (npm.ExitCode != 0) throw new InvalidOperationException($"npm ci in {CompatDirectory} failed:\n{await output}\n{await errors}");
        }
        finally
        {
            InstallLock.Release();
        }
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RaftMq.sln"))) return dir.FullName;
        }
        throw new DirectoryNotFoundException($"no RaftMq.sln above {AppContext.BaseDirectory}");
    }
}
