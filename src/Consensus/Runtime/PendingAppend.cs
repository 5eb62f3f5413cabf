using System.Collections.Concurrent;
using System.Threading.Tasks.Sources;

namespace RaftMq.Consensus.Runtime;

/// <summary>
/// The pooled completion behind one <see cref="RaftNode.AppendAsync"/> call (its only per-call allocation, and
/// only until the pool is warm). Completed exactly once, by the node loop (outcome) or by the caller's
/// cancellation token, whichever comes first. The loop may hold a stale reference after completion, so every
/// completion names the version it was handed out with: state packs (version &lt;&lt; 1) | claimed into one int,
/// and a claim is a compare-and-swap on it, so a recycled instance can never be completed by an old reference.
/// </summary>
internal sealed class PendingAppend : IValueTaskSource<AppendOutcome>
{
    private const int MaxPooled = 4096;
    private static readonly ConcurrentQueue<PendingAppend> Pool = new();
    private static int _pooled;

    private ManualResetValueTaskSourceCore<AppendOutcome> _source = new() { RunContinuationsAsynchronously = true };
    private int _state;
    private CancellationTokenRegistration _cancellation;

    private PendingAppend() => _state = Unclaimed(_source.Version);

    public short Version => _source.Version;

    public static PendingAppend Rent()
    {
        if (Pool.TryDequeue(out var pending))
        {
            Interlocked.Decrement(ref _pooled);
            return pending;
        }
        return new PendingAppend();
    }

    /// <summary>Completes the operation with OperationCanceledException when <paramref name="ct"/> fires first.</summary>
    public void WatchCancellation(CancellationToken ct)
    {
        short version = Version;
        _cancellation = ct.UnsafeRegister(static (state, token) =>
        {
            var (pending, version) = ((PendingAppend, short))state!;
            if (pending.TryClaim(version)) pending._source.SetException(new OperationCanceledException(token));
        }, (this, version));
    }

    /// <summary>True while the operation of <paramref name="version"/> has not been completed.</summary>
    public bool IsPending(short version) => Volatile.Read(ref _state) == Unclaimed(version);

    public bool TryComplete(short version, AppendOutcome outcome)
    {
        if (!TryClaim(version)) return false;
        _source.SetResult(outcome);
        return true;
    }

    public AppendOutcome GetResult(short token)
    {
        try
        {
            return _source.GetResult(token);
        }
        finally
        {
            Recycle();
        }
    }

    public ValueTaskSourceStatus GetStatus(short token) => _source.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _source.OnCompleted(continuation, state, token, flags);

    private static int Unclaimed(short version) => (ushort)version << 1;

    private bool TryClaim(short version)
    {
        int unclaimed = Unclaimed(version);
        return Interlocked.CompareExchange(ref _state, unclaimed | 1, unclaimed) == unclaimed;
    }

    private void Recycle()
    {
        // Waits for a cancellation callback that is still running, so it cannot touch the next operation.
        _cancellation.Dispose();
        _cancellation = default;
        _source.Reset();
        Volatile.Write(ref _state, Unclaimed(_source.Version));
        if (Interlocked.Increment(ref _pooled) <= MaxPooled)
        {
            Pool.Enqueue(this);
        }
        else
        {
            Interlocked.Decrement(ref _pooled);
        }
    }
}
