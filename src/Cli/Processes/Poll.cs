using System.Diagnostics;

namespace RaftMq.Cli.Processes;

/// <summary>A condition that did not become true before its deadline; the message says what was awaited.</summary>
public sealed class DeadlineExceededException(string message) : Exception(message);

/// <summary>Bounded waits: every wait in quickstart and the end-to-end tests polls a condition until a deadline.</summary>
public static class Poll
{
    /// <summary>Polls <paramref name="probe"/> every <paramref name="interval"/> until it returns a value.</summary>
    /// <exception cref="DeadlineExceededException">Nothing within <paramref name="timeout"/>; names <paramref name="what"/>.</exception>
    public static async Task<T> UntilAsync<T>(Func<CancellationToken, Task<T?>> probe, TimeSpan timeout, TimeSpan interval, string what,
        CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(probe);
        long started = Stopwatch.GetTimestamp();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var value = await probe(cancellationToken).ConfigureAwait(false);
            if (value is not null) return value;
            if (Stopwatch.GetElapsedTime(started) >= timeout)
                throw new DeadlineExceededException($"gave up after {timeout.TotalSeconds:0} s waiting for {what}");
            await Task.Delay(interval, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Polls a boolean condition; see <see cref="UntilAsync{T}"/>.</summary>
    public static Task UntilTrueAsync(Func<CancellationToken, Task<bool>> condition, TimeSpan timeout, TimeSpan interval, string what,
        CancellationToken cancellationToken) =>
        UntilAsync<object>(async token => await condition(token).ConfigureAwait(false) ? true : null, timeout, interval, what, cancellationToken);
}
