using Microsoft.Extensions.Logging;
using RaftMq.Foundation.Background;

namespace RaftMq.Foundation.Tests.Background;

public sealed class BackgroundLoopTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_failing_run_is_logged_and_the_loop_goes_on()
    {
        var logger = new ListLogger();
        int runs = 0;
        var third = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var loop = BackgroundLoop.Start(
            new BackgroundLoopOptions { Name = "flaky", Period = TimeSpan.FromMilliseconds(5) },
            _ =>
            {
                int run = Interlocked.Increment(ref runs);
                if (run == 3) third.TrySetResult();
                if (run == 1) throw new InvalidOperationException("first run fails");
                return Task.CompletedTask;
            },
            logger);

        await third.Task.WaitAsync(Deadline);
        await loop.StopAsync();

        var failure = Assert.Single(logger.Entries);
        Assert.Equal(LogLevel.Error, failure.Level);
        Assert.Contains("'flaky' failed", failure.Message, StringComparison.Ordinal);
        Assert.IsType<InvalidOperationException>(failure.Exception);
    }

    [Fact]
    public async Task The_first_run_waits_for_its_delay_and_a_wake_up_ends_a_pause_early()
    {
        var wakeUp = new Signal();
        var runs = new List<DateTime>();
        var ran = new SemaphoreSlim(0);
        await using var loop = BackgroundLoop.Start(
            new BackgroundLoopOptions { Name = "woken", Period = TimeSpan.FromHours(1), FirstRunDelay = TimeSpan.Zero, WakeUp = wakeUp },
            _ =>
            {
                lock (runs) runs.Add(DateTime.UtcNow);
                ran.Release();
                return Task.CompletedTask;
            },
            new ListLogger());

        Assert.True(await ran.WaitAsync(Deadline), "a zero first-run delay runs at once");
        wakeUp.Set();
        Assert.True(await ran.WaitAsync(Deadline), "a wake-up ends the hour-long pause");
        lock (runs) Assert.Equal(2, runs.Count);
    }

    [Fact]
    public async Task Stopping_cancels_the_run_in_progress_without_logging_it()
    {
        var logger = new ListLogger();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        bool cancelled = false;
        var loop = BackgroundLoop.Start(
            new BackgroundLoopOptions { Name = "long", Period = TimeSpan.FromHours(1), FirstRunDelay = TimeSpan.Zero },
            async stopping =>
            {
                started.TrySetResult();
                try
                {
                    await Task.Delay(Timeout.Infinite, stopping);
                }
                catch (OperationCanceledException)
                {
                    cancelled = true;
                    throw;
                }
            },
            logger);

        await started.Task.WaitAsync(Deadline);
        await loop.DisposeAsync().AsTask().WaitAsync(Deadline);

        Assert.True(cancelled);
        Assert.True(loop.Completion.IsCompletedSuccessfully);
        Assert.Empty(logger.Entries);
        await loop.StopAsync(); // stopping twice is harmless
    }

    [Fact]
    public async Task The_callers_token_stops_the_loop()
    {
        using var stopping = new CancellationTokenSource();
        int runs = 0;
        var loop = BackgroundLoop.Start(
            new BackgroundLoopOptions { Name = "owned", Period = TimeSpan.FromMilliseconds(5) },
            _ =>
            {
                Interlocked.Increment(ref runs);
                return Task.CompletedTask;
            },
            new ListLogger(),
            stopping.Token);

        await stopping.CancelAsync();
        await loop.Completion.WaitAsync(Deadline);
        int after = Volatile.Read(ref runs);
        await Task.Yield();
        Assert.Equal(after, Volatile.Read(ref runs));
        await loop.DisposeAsync();
    }

    [Fact]
    public void Invalid_options_are_refused_with_the_loop_named()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => BackgroundLoop.Start(
            new BackgroundLoopOptions { Name = "broken", Period = TimeSpan.Zero }, _ => Task.CompletedTask, new ListLogger()));
        Assert.Contains("broken", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => BackgroundLoop.Start(
            new BackgroundLoopOptions { Name = "broken", Period = TimeSpan.FromSeconds(1), FirstRunDelay = TimeSpan.FromSeconds(-1) },
            _ => Task.CompletedTask, new ListLogger()));
    }

    private sealed class ListLogger : ILogger
    {
        private readonly List<(LogLevel Level, string Message, Exception? Exception)> _entries = [];

        public IReadOnlyList<(LogLevel Level, string Message, Exception? Exception)> Entries
        {
            get
            {
                lock (_entries) return [.. _entries];
            }
        }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_entries) _entries.Add((logLevel, formatter(state, exception), exception));
        }
    }
}
