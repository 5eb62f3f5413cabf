using System.Diagnostics;
using System.Globalization;

namespace RaftMq.Integration.Tests.Consensus;

/// <summary>
/// One RaftMq.Consensus.TestHost OS process: a RaftNode with a file state machine, driven by its line protocol.
/// Commands are serialised; stderr (the node's log) is kept for failure messages.
/// </summary>
internal sealed class HostProcess : IAsyncDisposable
{
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly System.Text.StringBuilder _stderr = new();

    private HostProcess(string id, Process process)
    {
        Id = id;
        _process = process;
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (_stderr) _stderr.AppendLine(e.Data);
        };
        _process.BeginErrorReadLine();
    }

    public string Id { get; }

    public bool HasExited => _process.HasExited;

    public string Log
    {
        get { lock (_stderr) return _stderr.ToString(); }
    }

    public static HostProcess Start(string id, string confPath, string appliedPath)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(HostDll);
        start.ArgumentList.Add(confPath);
        start.ArgumentList.Add(appliedPath);
        return new HostProcess(id, Process.Start(start) ?? throw new InvalidOperationException("could not start the test host"));
    }

    /// <summary>The host's build output next to this test assembly's configuration (Debug/Release).</summary>
    private static string HostDll
    {
        get
        {
            string baseDir = AppContext.BaseDirectory;
            string configuration = baseDir.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
            var dir = new DirectoryInfo(baseDir);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "RaftMq.sln"))) dir = dir.Parent;
            if (dir is null) throw new InvalidOperationException($"repository root not found above {baseDir}");
            string dll = Path.Combine(dir.FullName, "tests", "RaftMq.Consensus.TestHost", "bin", configuration, "net10.0", "RaftMq.Consensus.TestHost.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException("build tests/RaftMq.Consensus.TestHost first", dll);
        }
    }

    public async Task<HostStatus?> StatusAsync()
    {
        string? answer = await AskAsync("status");
        if (answer is null) return null;
        var parts = answer.Split(' ');
        return new HostStatus(parts[1], long.Parse(parts[2], CultureInfo.InvariantCulture), parts[3] == "-" ? null : parts[3],
            long.Parse(parts[4], CultureInfo.InvariantCulture));
    }

    /// <summary>Returns the append status (Committed, NotLeader, Busy, Unknown) or null when the process is gone.</summary>
    public async Task<string?> AppendAsync(string payload) => (await AskAsync("append " + payload))?.Split(' ')[1];

    /// <summary>kill -9: no handover, no final sync.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    private async Task<string?> AskAsync(string command)
    {
        await _gate.WaitAsync();
        try
        {
            if (_process.HasExited) return null;
            await _process.StandardInput.WriteLineAsync(command);
            await _process.StandardInput.FlushAsync();
            return await _process.StandardOutput.ReadLineAsync().WaitAsync(AnswerTimeout);
        }
        catch (IOException)
        {
            return null;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            try
            {
                await _process.StandardInput.WriteLineAsync("quit");
                await _process.StandardInput.FlushAsync();
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (Exception e) when (e is IOException or TimeoutException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        _process.Dispose();
    }
}

internal sealed record HostStatus(string Role, long Term, string? Leader, long Applied);
