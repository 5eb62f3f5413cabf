using System.Globalization;
using RaftMq.Cli.CommandLine;

namespace RaftMq.Cli.Bench;

/// <summary>CPU time (user + system) another local process used since this object was made, from /proc/PID/stat.</summary>
internal sealed class ProcessCpu
{
    /// <summary>Linux's USER_HZ: /proc reports CPU times in these ticks.</summary>
    private const double TicksPerSecond = 100;

    private readonly int _pid;
    private readonly long _startTicks;

    private ProcessCpu(int pid)
    {
        _pid = pid;
        _startTicks = ReadTicks(pid);
    }

    public static ProcessCpu Open(int pid) => new(pid);

    /// <summary>"broker CPU ..." with the per-scanned-message cost when the scanned count is known (&gt; 0).</summary>
    public string Report(long scannedMessages)
    {
        double seconds = (ReadTicks(_pid) - _startTicks) / TicksPerSecond;
        string total = string.Create(CultureInfo.InvariantCulture, $"broker CPU (pid {_pid}): {seconds:F2} s");
        return scannedMessages > 0
            ? total + string.Create(CultureInfo.InvariantCulture, $", {seconds * 1e6 / scannedMessages:F2} us per scanned message ({scannedMessages} scanned)")
            : total;
    }

    private static long ReadTicks(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException e)
        {
            throw new UsageException($"--broker-pid {pid}: cannot read /proc/{pid}/stat ({e.Message})");
        }
        // Fields after the parenthesised command name; utime and stime are the 14th and 15th fields overall.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    }
}
