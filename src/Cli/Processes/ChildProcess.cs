using System.Diagnostics;
using RaftMq.Cli.Hosting;

namespace RaftMq.Cli.Processes;

/// <summary>
/// A raftmq server started as a separate process (by quickstart or the end-to-end tests). Its console output goes to
/// a file, its last lines are kept for error messages, and it stops by itself if this process dies: it holds the
/// write end of the child's standard input (see <see cref="ServerHost.StopOnStandardInputEndVariable"/>).
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private const int TailLines = 40;

    private readonly Process _process;
    private readonly TextWriter _output;
    private readonly Queue<string> _tail = new();
    private readonly Lock _tailLock = new();

    private ChildProcess(string name, Process process, TextWriter output, string outputPath)
    {
        Name = name;
        _process = process;
        _output = output;
        OutputPath = outputPath;
    }

    public string Name { get; }

    public int Id => _process.Id;

    /// <summary>File that receives the child's stdout and stderr.</summary>
    public string OutputPath { get; }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>The last lines the child wrote to stdout/stderr, oldest first.</summary>
    public string RecentOutput
    {
        get
        {
            lock (_tailLock) return string.Join(Environment.NewLine, _tail);
        }
    }

    public static ChildProcess Start(RaftMqLauncher launcher, string name, IEnumerable<string> arguments, string workingDirectory, string outputPath)
    {
        ArgumentNullException.ThrowIfNull(launcher);
        var info = launcher.CreateStartInfo(arguments, workingDirectory);
        info.RedirectStandardInput = true;
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.Environment[ServerHost.StopOnStandardInputEndVariable] = "1";
        Directory.CreateDirectory(Path.GetDirectoryName(outputPath)!);
        var output = TextWriter.Synchronized(new StreamWriter(outputPath, append: true) { AutoFlush = true });
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var child = new ChildProcess(name, process, output, outputPath);
        process.OutputDataReceived += (_, line) => child.Record(line.Data);
        process.ErrorDataReceived += (_, line) => child.Record(line.Data);
        try
        {
            process.Start();
        }
        catch
        {
            output.Dispose();
            process.Dispose();
            throw;
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>SIGKILL: the process dies at once and its sockets are closed by the kernel.</summary>
    public void Kill()
    {
        if (!_process.HasExited) _process.Kill();
    }

    public Task WaitForExitAsync(CancellationToken cancellationToken) => _process.WaitForExitAsync(cancellationToken);

    /// <summary>SIGTERM, then SIGKILL if the process is still running after <paramref name="grace"/>.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (_process.HasExited) return;
        if (PosixSignals.Terminate(_process.Id))
        {
            using var timeout = new CancellationTokenSource(grace);
            try
            {
                await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
                return;
            }
            catch (OperationCanceledException)
            {
                // Graceful stop took too long: fall through to SIGKILL.
            }
        }
        Kill();
        await _process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            Kill();
            await _process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            // Never started or already reaped.
        }
        _process.Dispose();
        await _output.DisposeAsync().ConfigureAwait(false);
    }

    private void Record(string? line)
    {
        if (line is null) return;
        try
        {
            _output.WriteLine(line);
        }
        catch (ObjectDisposedException)
        {
            // Output that arrives after disposal is dropped.
        }
        lock (_tailLock)
        {
            _tail.Enqueue(line);
            if (_tail.Count > TailLines) _tail.Dequeue();
        }
    }
}
