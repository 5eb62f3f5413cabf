using System.Diagnostics;
using RaftMq.Chaos.Processes;
using RaftMq.Chaos.Tests.Support;

namespace RaftMq.Chaos.Tests.Processes;

public sealed class ProcessSupervisorTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private ProcessSpec Spec(string name, string file, params string[] args) =>
        new(name, file, args) { WorkingDirectory = _dir.Path, LogDirectory = _dir.File("logs") };

    /// <summary>Process state letter from /proc (R, S, T for stopped, Z, ...).</summary>
    private static char State(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        return stat[stat.LastIndexOf(')') + 2];
    }

    private static void WaitUntil(Func<bool> condition, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(watch.Elapsed < Deadline, $"timed out waiting for {what}");
            Thread.Sleep(20);
        }
    }

    private static bool IsGone(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }

    [Fact]
    public async Task Output_environment_and_working_directory_reach_the_log_files()
    {
        using var supervisor = new ProcessSupervisor();
        var spec = Spec("echo", "/bin/sh", "-c", "echo out:$CHAOS_VALUE; pwd; echo oops >&2") with
        {
            Environment = new Dictionary<string, string> { ["CHAOS_VALUE"] = "42" },
        };

        var process = supervisor.Start(spec);
        using var timeout = new CancellationTokenSource(Deadline);
        var exit = await process.WaitForExitAsync(timeout.Token);

        Assert.Equal(0, exit);
        var stdout = await File.ReadAllTextAsync(spec.StdoutLogPath);
        Assert.Contains("out:42", stdout);
        Assert.Contains(_dir.Path, stdout);
        Assert.StartsWith("--- start #1 pid ", stdout);
        Assert.Contains("oops", await File.ReadAllTextAsync(spec.StderrLogPath));
    }

    [Fact]
    public void Kill_sends_sigkill_and_waits_for_the_exit()
    {
        using var supervisor = new ProcessSupervisor();
        var cat = supervisor.Start(Spec("cat", "cat"));
        Assert.True(cat.IsRunning);

        cat.Kill();

        Assert.False(cat.IsRunning);
        Assert.Equal(128 + 9, cat.ExitCode);
    }

    [Fact]
    public void Pause_stops_the_process_and_resume_continues_it()
    {
        using var supervisor = new ProcessSupervisor();
        var sleep = supervisor.Start(Spec("sleep", "sleep", "60"));
        var pid = sleep.Pid!.Value;

        sleep.Pause();
        WaitUntil(() => State(pid) == 'T', "SIGSTOP to take effect");
        Assert.True(sleep.IsPaused);

        sleep.Resume();
        WaitUntil(() => State(pid) != 'T', "SIGCONT to take effect");
        Assert.False(sleep.IsPaused);
        Assert.True(sleep.IsRunning);
    }

    [Fact]
    public void Paused_process_can_still_be_killed()
    {
        using var supervisor = new ProcessSupervisor();
        var sleep = supervisor.Start(Spec("sleep", "sleep", "60"));
        sleep.Pause();

        sleep.Kill();

        Assert.False(sleep.IsRunning);
        Assert.False(sleep.IsPaused);
    }

    [Fact]
    public void Restart_starts_a_new_incarnation_appending_to_the_same_logs()
    {
        using var supervisor = new ProcessSupervisor();
        var cat = supervisor.Start(Spec("cat", "cat"));
        var firstPid = cat.Pid;

        cat.Restart();

        Assert.True(cat.IsRunning);
        Assert.NotEqual(firstPid, cat.Pid);
        Assert.Equal(2, cat.Starts);
        cat.Kill();
        Assert.Contains("--- start #2 pid ", File.ReadAllText(cat.Spec.StdoutLogPath));
    }

    [Fact]
    public void Dispose_kills_every_child()
    {
        int[] pids;
        using (var supervisor = new ProcessSupervisor())
        {
            pids = [supervisor.Start(Spec("a", "sleep", "60")).Pid!.Value, supervisor.Start(Spec("b", "cat")).Pid!.Value];
        }

        Assert.All(pids, pid => Assert.True(IsGone(pid), $"pid {pid} survived the supervisor"));
    }

    [Fact]
    public void Names_are_unique_and_signals_need_a_running_process()
    {
        using var supervisor = new ProcessSupervisor();
        var cat = supervisor.Start(Spec("cat", "cat"));

        Assert.Throws<InvalidOperationException>(() => supervisor.Start(Spec("cat", "cat")));
        cat.Kill();
        Assert.Throws<InvalidOperationException>(cat.Pause);
    }
}
