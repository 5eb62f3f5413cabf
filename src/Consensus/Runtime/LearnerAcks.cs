namespace RaftMq.Consensus.Runtime;

/// <summary>
/// Waiters for "some learner holds index N" (a SYNC_MASTER send waiting for its slave). The loop advances the highest
/// index a learner is known to hold after every round; waiters at or below it complete in index order. A waiter that
/// timed out stays queued until a learner passes its index (completing it then is harmless); the sender stops creating
/// waiters while no learner answers, so the queue holds at most the sends of one contact window.
/// </summary>
internal sealed class LearnerAcks
{
    private readonly Lock _gate = new();
    private readonly PriorityQueue<TaskCompletionSource, long> _waiting = new();
    private long _replicated;
    private int _count;

    public bool HasWaiters => Volatile.Read(ref _count) > 0;

    /// <summary>True once some learner holds <paramref name="index"/>, false after <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitAsync(long index, TimeSpan timeout, CancellationToken ct)
    {
        TaskCompletionSource waiter;
        lock (_gate)
        {
            if (index <= _replicated) return true;
            waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiting.Enqueue(waiter, index);
            _count = _waiting.Count;
        }
        try
        {
            await waiter.Task.WaitAsync(timeout, ct).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>Some learner holds every entry up to <paramref name="replicated"/>.</summary>
    public void Advance(long replicated)
    {
        if (replicated <= Volatile.Read(ref _replicated)) return;
        lock (_gate)
        {
            if (replicated <= _replicated) return;
            Volatile.Write(ref _replicated, replicated);
            while (_waiting.TryPeek(out var waiter, out long index) && index <= replicated)
            {
                _waiting.Dequeue();
                waiter.TrySetResult();
            }
            _count = _waiting.Count;
        }
    }
}
