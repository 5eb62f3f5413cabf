using System.Diagnostics;
using System.Text;

namespace RaftMq.Integration.Tests.EndToEnd;

/// <summary>Runs the raftmq build once to completion (with a deadline) and captures its output.</summary>
internal static class RaftMqRun
{
    public sealed record Result(int ExitCode, string Output, string Error);

    public static async Task<Result> RunAsync(string workingDirectory, TimeSpan deadline, params string[] arguments)
    {
        var info = RaftMqBinary.Launcher.CreateStartInfo(arguments, workingDirectory);
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.RedirectStandardInput = true;
        using var process = new Process { StartInfo = info };
        var output = new StringBuilder();
        var error = new StringBuilder();
        process.OutputDataReceived += (_, line) => { if (line.Data is not null) lock (output) output.AppendLine(line.Data); };
        process.ErrorDataReceived += (_, line) => { if (line.Data is not null) lock (error) error.AppendLine(line.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(deadline);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            throw new TimeoutException($"raftmq {string.Join(' ', arguments)} did not finish within {deadline}:{Environment.NewLine}{output}{error}");
        }
        // WaitForExit without a timeout also waits for the redirected streams to drain.
        process.WaitForExit();
        lock (output) lock (error) return new Result(process.ExitCode, output.ToString(), error.ToString());
    }
}
