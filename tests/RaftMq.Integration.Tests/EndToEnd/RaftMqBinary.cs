using RaftMq.Cli.Processes;

namespace RaftMq.Integration.Tests.EndToEnd;

/// <summary>The raftmq build under test: raftmq.dll copied next to the tests by the project reference.</summary>
internal static class RaftMqBinary
{
    public static string DllPath => Path.Combine(AppContext.BaseDirectory, "raftmq.dll");

    public static RaftMqLauncher Launcher => RaftMqLauncher.ForAssembly(DllPath);
}
