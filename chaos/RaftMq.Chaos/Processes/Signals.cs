using System.ComponentModel;
using System.Runtime.InteropServices;

namespace RaftMq.Chaos.Processes;

/// <summary>POSIX signals the supervisor sends that .NET has no API for (terminate, stop and continue).</summary>
internal static partial class Signals
{
    public const int Terminate = 15;

    public static int Stop => OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD() ? 17 : 19;

    public static int Continue => OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD() ? 19 : 18;

    public static void Send(int pid, int signal)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS() && !OperatingSystem.IsFreeBSD())
        {
            throw new PlatformNotSupportedException("SIGSTOP/SIGCONT need a POSIX system");
        }

        if (SendSignal(pid, signal) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new Win32Exception(errno, $"kill({pid}, {signal}) failed with errno {errno}");
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);
}
