using System.ComponentModel;
using System.Runtime.InteropServices;

namespace RaftMq.Cli.Processes;

/// <summary>SIGTERM for a child process: .NET can only send SIGKILL (<see cref="System.Diagnostics.Process.Kill()"/>).</summary>
internal static partial class PosixSignals
{
    private const int SigTerm = 15;

    /// <summary>Asks a process to stop gracefully; false when it no longer exists.</summary>
    public static bool Terminate(int processId)
    {
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException("SIGTERM needs a POSIX system");
        if (Kill(processId, SigTerm) == 0) return true;
        int errno = Marshal.GetLastPInvokeError();
        const int NoSuchProcess = 3;
        if (errno == NoSuchProcess) return false;
        throw new Win32Exception(errno, $"kill({processId}, SIGTERM) failed with errno {errno}");
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int processId, int signal);
}
