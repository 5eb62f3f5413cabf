using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace RaftMq.Chaos.Processes;

/// <summary>
/// Owns every child process of a run and kills them all when disposed, when the harness process exits,
/// and on an unhandled exception, so a crashed harness does not leave brokers running. (A harness killed
/// with -9 cannot clean up; the pids are in the logs' start headers.)
/// </summary>
public sealed class ProcessSupervisor : IDisposable
{
    private readonly ConcurrentDictionary<string, SupervisedProcess> _processes = new(StringComparer.Ordinal);
    private readonly ILogger _logger;
    private int _disposed;

    public ProcessSupervisor(ILogger? logger = null)
    {
        _logger = logger ?? NullLogger.Instance;
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
        AppDomain.CurrentDomain.UnhandledException += OnUnhandledException;
    }

    public IReadOnlyCollection<SupervisedProcess> Processes => [.. _processes.Values];

    public SupervisedProcess this[string name] => _processes[name];

    /// <summary>The process registered under <paramref name="name"/>, or null when it was never started.</summary>
    public SupervisedProcess? Find(string name) => _processes.GetValueOrDefault(name);

    /// <summary>Registers and starts a process; names are unique within the supervisor.</summary>
    public SupervisedProcess Start(ProcessSpec spec)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var process = new SupervisedProcess(spec, _logger);
        if (!_processes.TryAdd(spec.Name, process))
        {
            throw new InvalidOperationException($"a process named '{spec.Name}' is already supervised");
        }

        process.Start();
        return process;
    }

    public void KillAll(string reason = "request")
    {
        var running = _processes.Values.Where(p => p.IsRunning).ToList();
        if (running.Count > 0)
        {
            ProcessLog.KillingAll(_logger, running.Count, reason);
        }

        foreach (var process in running)
        {
            process.Kill();
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        AppDomain.CurrentDomain.UnhandledException -= OnUnhandledException;
        KillAll("dispose");
    }

    private void OnProcessExit(object? sender, EventArgs e) => KillAll("harness exit");

    private void OnUnhandledException(object? sender, UnhandledExceptionEventArgs e) => KillAll("unhandled exception");
}
