using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Logging;

namespace RaftMq.Chaos.Processes;

/// <summary>
/// One child process that can be killed (SIGKILL), paused (SIGSTOP), resumed (SIGCONT) and restarted with
/// the same spec. Not thread-safe: one nemesis drives a node at a time.
/// </summary>
public sealed class SupervisedProcess
{
    /// <summary>How long a SIGKILLed process may take to be reaped before we give up waiting.</summary>
    public static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(30);

    private readonly ILogger _logger;
    private Process? _process;
    private Task _logCopy = Task.CompletedTask;

    internal SupervisedProcess(ProcessSpec spec, ILogger logger)
    {
        Spec = spec;
        _logger = logger;
    }

    public ProcessSpec Spec { get; }

    public string Name => Spec.Name;

    /// <summary>Pid of the current (or last) incarnation.</summary>
    public int? Pid { get; private set; }

    public int Starts { get; private set; }

    public bool IsPaused { get; private set; }

    public bool IsRunning => _process is { } p && !p.HasExited;

    /// <summary>Exit code of the last incarnation once it exited; 128+signal when killed by a signal.</summary>
    public int? ExitCode => _process is { HasExited: true } p ? p.ExitCode : null;

    public void Start()
    {
        if (IsRunning)
        {
            throw new InvalidOperationException($"{Name} is already running as pid {Pid}");
        }

        _process?.Dispose();
        var process = new Process { StartInfo = StartInfo() };
        process.Start();
        _process = process;
        Pid = process.Id;
        Starts++;
        IsPaused = false;
        _logCopy = CopyLogsAsync(process, Starts);
        ProcessLog.Started(_logger, Name, process.Id, Spec.ToString());
    }

    /// <summary>SIGKILL, then wait until the process is reaped so its ports and files are free.</summary>
    public void Kill()
    {
        if (_process is not { } process || process.HasExited)
        {
            return;
        }

        ProcessLog.Signalled(_logger, "SIGKILL", Name, process.Id);
        process.Kill(entireProcessTree: false);
        if (!process.WaitForExit(ExitTimeout))
        {
            ProcessLog.KillTimedOut(_logger, Name, process.Id, ExitTimeout);
        }

        IsPaused = false;
        _logCopy.Wait(ExitTimeout);
    }

    /// <summary>SIGTERM (graceful stop), then SIGKILL when the process has not exited within <paramref name="grace"/>.</summary>
    public async Task TerminateAsync(TimeSpan grace, CancellationToken cancellationToken)
    {
        if (_process is not { } process || process.HasExited)
        {
            return;
        }

        Signal(Signals.Terminate, "SIGTERM", paused: false);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(grace);
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            await _logCopy.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Kill();
        }
    }

    public void Pause() => Signal(Signals.Stop, "SIGSTOP", paused: true);

    public void Resume() => Signal(Signals.Continue, "SIGCONT", paused: false);

    public void Restart()
    {
        Kill();
        Start();
    }

    public async Task<int> WaitForExitAsync(CancellationToken cancellationToken)
    {
        var process = _process ?? throw new InvalidOperationException($"{Name} was never started");
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        await _logCopy.WaitAsync(cancellationToken).ConfigureAwait(false);
        return process.ExitCode;
    }

    private void Signal(int signal, string label, bool paused)
    {
        if (_process is not { } process || process.HasExited)
        {
            throw new InvalidOperationException($"{Name} is not running; cannot send {label}");
        }

        ProcessLog.Signalled(_logger, label, Name, process.Id);
        Signals.Send(process.Id, signal);
        IsPaused = paused;
    }

    private ProcessStartInfo StartInfo()
    {
        var info = new ProcessStartInfo(Spec.FileName)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            // kept open and never written: a child reading stdin blocks instead of seeing end-of-file
            RedirectStandardInput = true,
            WorkingDirectory = Spec.WorkingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in Spec.Arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in Spec.Environment)
        {
            info.Environment[key] = value;
        }

        return info;
    }

    private Task CopyLogsAsync(Process process, int start)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(Spec.StdoutLogPath))!);
        var header = Encoding.UTF8.GetBytes($"--- start #{start} pid {process.Id} at {DateTimeOffset.UtcNow:O} ---\n");
        return Task.WhenAll(
            CopyAsync(process.StandardOutput.BaseStream, Spec.StdoutLogPath, header),
            CopyAsync(process.StandardError.BaseStream, Spec.StderrLogPath, header));
    }

    private static async Task CopyAsync(Stream source, string path, byte[] header)
    {
        // unbuffered so a log is complete up to the moment of a kill -9
        await using var log = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite, bufferSize: 1);
        await log.WriteAsync(header).ConfigureAwait(false);
        try
        {
            await source.CopyToAsync(log).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // the pipe broke when the process died
        }
    }
}
