using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RaftMq.Cli.CommandLine;

namespace RaftMq.Cli.Hosting;

/// <summary>
/// Runs one server component under Microsoft.Extensions.Hosting until Ctrl-C or SIGTERM (graceful stop), until the
/// component reports a fault, or, for processes started by <c>raftmq quickstart</c> and the end-to-end tests, until
/// the parent process goes away (see <see cref="StopOnStandardInputEndVariable"/>).
/// </summary>
public static class ServerHost
{
    /// <summary>When this environment variable is 1 the server stops once its standard input reaches end of file:
    /// the parent holds the pipe, so even a parent killed with SIGKILL leaves no orphaned broker behind.</summary>
    public const string StopOnStandardInputEndVariable = "RAFTMQ_STOP_ON_STDIN_EOF";

    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(20);

    public static async Task<int> RunAsync(ServerComponent component, ILoggerFactory loggerFactory, CommandContext context)
    {
        ArgumentNullException.ThrowIfNull(component);
        var logger = loggerFactory.CreateLogger("RaftMq.Cli.Host");
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings
        {
            ApplicationName = "raftmq",
            ContentRootPath = context.WorkingDirectory,
        });
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddSingleton<IHostLifetime, CallerOwnedLifetime>();
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = ShutdownTimeout);
        builder.Services.AddHostedService(_ => new ComponentService(component));
        using var host = builder.Build();

        try
        {
            await host.StartAsync(context.Stopping).ConfigureAwait(false);
        }
        catch (Exception e) when (!ConfigErrors.TryDescribe(e, out _) && e is not OperationCanceledException)
        {
            LogMessages.StartFailed(logger, component.Verb, e);
            await context.Error.WriteLineAsync($"raftmq {component.Verb}: cannot start: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        LogMessages.Started(logger, component.Verb);

        (string reason, int exitCode) = await WaitForStopAsync(component, context.Stopping).ConfigureAwait(false);
        LogMessages.Stopping(logger, component.Verb, reason);
        if (exitCode != ExitCodes.Success) LogMessages.Faulted(logger, component.Verb, reason);
        using var shutdown = new CancellationTokenSource(ShutdownTimeout);
        await host.StopAsync(shutdown.Token).ConfigureAwait(false);
        LogMessages.Stopped(logger, component.Verb);
        return exitCode;
    }

    private static async Task<(string Reason, int ExitCode)> WaitForStopAsync(ServerComponent component, CancellationToken stopping)
    {
        var signalled = Task.Delay(Timeout.Infinite, stopping);
        var parentGone = Environment.GetEnvironmentVariable(StopOnStandardInputEndVariable) == "1"
            ? WaitForStandardInputEndAsync(stopping)
            : Task.Delay(Timeout.Infinite, stopping);
        var waits = new List<Task> { signalled, parentGone };
        var faulted = component.WaitForFault?.Invoke();
        if (faulted is not null) waits.Add(faulted);
        var first = await Task.WhenAny(waits).ConfigureAwait(false);
        if (stopping.IsCancellationRequested) return ("signal", ExitCodes.Success);
        if (first == parentGone) return ("parent process went away", ExitCodes.Success);
        // A fault watcher that ended without a fault (it failed or was cancelled) says nothing about the component.
        if (faulted is { IsCompletedSuccessfully: true }) return (faulted.Result, ExitCodes.Failure);
        await Task.WhenAny(signalled, parentGone).ConfigureAwait(false);
        return stopping.IsCancellationRequested ? ("signal", ExitCodes.Success) : ("parent process went away", ExitCodes.Success);
    }

    private static async Task WaitForStandardInputEndAsync(CancellationToken stopping)
    {
        await using var input = Console.OpenStandardInput();
        var buffer = new byte[256];
        try
        {
            while (await input.ReadAsync(buffer, stopping).ConfigureAwait(false) > 0)
            {
                // The parent never writes; anything it does write is ignored.
            }
        }
        catch (OperationCanceledException)
        {
            await Task.Delay(Timeout.Infinite, stopping).ConfigureAwait(false);
        }
    }

    /// <summary>Signals are handled by <see cref="CliApp"/> for every verb, so the host's own console lifetime
    /// (which would register them a second time) is replaced by this one.</summary>
    private sealed class CallerOwnedLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private sealed class ComponentService(ServerComponent component) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => component.StartAsync(cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => component.StopAsync(cancellationToken);
    }
}
