using Microsoft.Extensions.Logging;

namespace RaftMq.Foundation.Background;

/// <summary>How a <see cref="BackgroundLoop"/> runs its work.</summary>
public sealed record BackgroundLoopOptions
{
    /// <summary>Names the loop in logs.</summary>
    public required string Name { get; init; }

    /// <summary>Pause between the end of one run and the start of the next.</summary>
    public required TimeSpan Period { get; init; }

    /// <summary>Pause before the first run (null: one <see cref="Period"/>; zero: at once).</summary>
    public TimeSpan? FirstRunDelay { get; init; }

    /// <summary>When set, a <see cref="Signal.Set"/> ends the current pause early (the next run starts at once).</summary>
    public Signal? WakeUp { get; init; }

    /// <summary>The clock the pauses are measured with (tests pass a fake one).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}

/// <summary>
/// Runs one piece of work periodically on the thread pool until stopped: first after <see cref="BackgroundLoopOptions.FirstRunDelay"/>,
/// then <see cref="BackgroundLoopOptions.Period"/> after the end of each run (runs never overlap). A run that throws is
/// logged and the loop goes on; cancellation (<see cref="StopAsync"/>, <see cref="DisposeAsync"/> or the token given to
/// <see cref="Start"/>) ends the pause or the run in progress, and the loop ends without logging it.
/// </summary>
public sealed class BackgroundLoop : IAsyncDisposable
{
    private readonly BackgroundLoopOptions _options;
    private readonly Func<CancellationToken, Task> _work;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping;

    private BackgroundLoop(BackgroundLoopOptions options, Func<CancellationToken, Task> work, ILogger logger, CancellationToken stopping)
    {
        _options = options;
        _work = work;
        _logger = logger;
        _stopping = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        Completion = Task.Run(() => RunAsync(_stopping.Token), CancellationToken.None);
    }

    /// <summary>Completes when the loop has ended (it never faults).</summary>
    public Task Completion { get; }

    public string Name => _options.Name;

    /// <summary>Starts the loop; <paramref name="stopping"/> (optional) stops it as <see cref="StopAsync"/> does.</summary>
    public static BackgroundLoop Start(BackgroundLoopOptions options, Func<CancellationToken, Task> work, ILogger logger, CancellationToken stopping = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(work);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Name);
        if (options.Period <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(options), options.Period, $"Background loop {options.Name}: the period must be positive.");
        if (options.FirstRunDelay < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(options), options.FirstRunDelay, $"Background loop {options.Name}: the first-run delay must not be negative.");
        return new BackgroundLoop(options, work, logger, stopping);
    }

    /// <summary>Ends the pause or cancels the run in progress, and waits until the loop has ended.</summary>
    public async Task StopAsync()
    {
        try
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            // Stopped before.
        }
        await Completion.ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        TimeSpan pause = _options.FirstRunDelay ?? _options.Period;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await PauseAsync(pause, stopping).ConfigureAwait(false);
                await _work(stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                LogMessages.LoopRunFailed(_logger, _options.Name, _options.Period, exception);
            }
            pause = _options.Period;
        }
    }

    private Task PauseAsync(TimeSpan pause, CancellationToken stopping)
    {
        if (_options.WakeUp is { } wakeUp) return wakeUp.WaitAsync(pause, _options.TimeProvider, stopping);
        return pause == TimeSpan.Zero ? Task.CompletedTask : Task.Delay(pause, _options.TimeProvider, stopping);
    }
}
