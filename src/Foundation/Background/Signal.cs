namespace RaftMq.Foundation.Background;

/// <summary>
/// An awaitable auto-reset wake-up: background loops sleep until their period passes or someone calls
/// <see cref="Set"/> (e.g. a rebalance requested by the broker). Several Sets before a wait collapse into one.
/// </summary>
public sealed class Signal
{
    private readonly SemaphoreSlim _semaphore = new(0, 1);

    public void Set()
    {
        try
        {
            if (_semaphore.CurrentCount == 0) _semaphore.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already set by a concurrent caller; one wake-up is enough.
        }
    }

    /// <summary>True when woken by <see cref="Set"/>, false when <paramref name="timeout"/> elapsed.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        _semaphore.WaitAsync(timeout, cancellationToken);

    /// <summary>As <see cref="WaitAsync(TimeSpan, CancellationToken)"/>, with the timeout measured by <paramref name="timeProvider"/>.</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (timeProvider == TimeProvider.System) return await WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        using var elapsed = new CancellationTokenSource(timeout, timeProvider);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, elapsed.Token);
        try
        {
            await _semaphore.WaitAsync(either.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
