using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RaftMq.Integration.Tests.Compat;

/// <summary>
/// A node script of the compatibility suite (tests/compat/tools) in a child process: it prints one JSON event per
/// line on stdout and reads one JSON command per line on stdin. Disposing asks it to close, then kills it.
/// </summary>
internal sealed class NodeProcess : IAsyncDisposable
{
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(30);
    private readonly Process _process;
    private readonly List<JsonObject> _events = [];
    private readonly StringBuilder _stderr = new();
    private readonly string _name;

    private NodeProcess(string name, Process process)
    {
        _name = name;
        _process = process;
    }

    /// <summary>Starts <c>node tools/{script}.js {config}</c> in the compat folder.</summary>
    public static NodeProcess Start(string script, JsonObject config, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo("node")
        {
            WorkingDirectory = CompatPaths.CompatDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine("tools", script + ".js"));
        info.ArgumentList.Add(config.ToJsonString());
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) info.Environment[key] = value;
        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start node tools/{script}.js");
        var node = new NodeProcess(script, process);
        process.OutputDataReceived += (_, line) => node.OnStdout(line.Data);
        process.ErrorDataReceived += (_, line) => node.OnStderr(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return node;
    }

    /// <summary>Every event printed so far, in order.</summary>
    public IReadOnlyList<JsonObject> Events
    {
        get
        {
            lock (_events) return [.. _events];
        }
    }

    /// <summary>Writes one command line.</summary>
    public async Task SendCommandAsync(JsonObject command)
    {
        await _process.StandardInput.WriteLineAsync(command.ToJsonString()).ConfigureAwait(false);
        await _process.StandardInput.FlushAsync().ConfigureAwait(false);
    }

    /// <summary>Waits for the first event of <paramref name="type"/> matching <paramref name="match"/>; fails at once
    /// when the script reports a fatal error or exits.</summary>
    public async Task<JsonObject> WaitForEventAsync(string type, Func<JsonObject, bool> match, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var events = Events;
            var fatal = events.FirstOrDefault(e => (string?)e["type"] == "fatal");
            if (fatal is not null) throw new InvalidOperationException($"tools/{_name}.js failed: {fatal["error"]}\n{StderrTail()}");
            var found = events.FirstOrDefault(e => (string?)e["type"] == type && match(e));
            if (found is not null) return found;
            if (_process.HasExited) throw new InvalidOperationException($"tools/{_name}.js exited ({_process.ExitCode}) before '{type}'\n{StderrTail()}");
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"no '{type}' from tools/{_name}.js within {timeout}\n{StderrTail()}");
            await Task.Delay(50).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            try
            {
                await SendCommandAsync(new JsonObject { ["cmd"] = "close" }).ConfigureAwait(false);
                using var timeout = new CancellationTokenSource(CloseTimeout);
                await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or InvalidOperationException)
            {
                // Broken pipe or no clean exit in time: the kill below ends it.
            }
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        _process.Dispose();
    }

    private void OnStdout(string? line)
    {
        if (string.IsNullOrWhiteSpace(line)) return;
        JsonObject? parsed = null;
        try
        {
            parsed = JsonNode.Parse(line) as JsonObject;
        }
        catch (JsonException)
        {
            // Not an event: kept with the diagnostics below.
        }
        if (parsed is null)
        {
            OnStderr("stdout: " + line);
            return;
        }
        lock (_events) _events.Add(parsed);
    }

    private void OnStderr(string? line)
    {
        if (line is null) return;
        lock (_stderr) _stderr.AppendLine(line);
    }

    private string StderrTail()
    {
        lock (_stderr)
        {
            string text = _stderr.ToString();
            return text.Length <= 4000 ? text : text[^4000..];
        }
    }
}
