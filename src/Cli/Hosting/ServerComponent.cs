namespace RaftMq.Cli.Hosting;

/// <summary>
/// A long-running component (name server, broker node) as the host sees it: library types expose
/// StartAsync/StopAsync, and optionally a task that completes when the component stopped by itself (for example a
/// broker whose log store failed), after which the process exits with an error.
/// </summary>
public sealed record ServerComponent(
    string Verb,
    Func<CancellationToken, Task> StartAsync,
    Func<CancellationToken, Task> StopAsync,
    Func<Task<string>>? WaitForFault = null);
