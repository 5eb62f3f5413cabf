namespace RaftMq.Client.Instance;

/// <summary>
/// An awaitable auto-reset wake-up: background loops sleep until their interval passes or someone calls
/// <see cref="Set"/> (e.g. a rebalance requested by the broker). Several Sets before a wait collapse into one.
/// </summary>
internal sealed class Signal
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
}
