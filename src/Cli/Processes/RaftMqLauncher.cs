using System.Diagnostics;
using System.Reflection;

namespace RaftMq.Cli.Processes;

/// <summary>
/// How to start another process of this same raftmq build: the apphost (<c>./raftmq</c>) runs itself, while
/// <c>dotnet raftmq.dll</c> needs the dll passed to the dotnet host again.
/// </summary>
/// <param name="FileName">Executable to run.</param>
/// <param name="LeadingArguments">Arguments before the verb (the dll path when run through dotnet).</param>
public sealed record RaftMqLauncher(string FileName, IReadOnlyList<string> LeadingArguments)
{
    /// <summary>The command that started the current process.</summary>
    public static RaftMqLauncher ForCurrentProcess()
    {
        string processPath = Environment.ProcessPath ?? throw new InvalidOperationException("the path of the running executable is unknown");
        string entryAssembly = Assembly.GetEntryAssembly()?.Location ?? "";
        return Describe(processPath, entryAssembly);
    }

    /// <summary>Builds the launcher from a process path and the entry assembly (separate for tests).</summary>
    public static RaftMqLauncher Describe(string processPath, string entryAssemblyPath)
    {
        string processName = Path.GetFileNameWithoutExtension(processPath);
        bool viaDotnetHost = string.Equals(processName, "dotnet", StringComparison.OrdinalIgnoreCase);
        if (!viaDotnetHost) return new RaftMqLauncher(processPath, []);
        if (string.IsNullOrEmpty(entryAssemblyPath))
            throw new InvalidOperationException("running under the dotnet host, but the entry assembly path is unknown");
        return new RaftMqLauncher(processPath, [entryAssemblyPath]);
    }

    /// <summary>The launcher for a built raftmq.dll (tests run the build output through the dotnet host).</summary>
    public static RaftMqLauncher ForAssembly(string raftmqDllPath) => new(DotnetHostPath(), [raftmqDllPath]);

    public ProcessStartInfo CreateStartInfo(IEnumerable<string> arguments, string workingDirectory)
    {
        var info = new ProcessStartInfo(FileName) { WorkingDirectory = workingDirectory, UseShellExecute = false };
        foreach (string argument in LeadingArguments) info.ArgumentList.Add(argument);
        foreach (string argument in arguments) info.ArgumentList.Add(argument);
        return info;
    }

    public override string ToString() => string.Join(' ', LeadingArguments.Prepend(FileName));

    private static string DotnetHostPath()
    {
        string? root = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(root) && File.Exists(root)) return root;
        string? current = Environment.ProcessPath;
        if (current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet") return current;
        return "dotnet";
    }
}
