namespace RaftMq.Protocol.Remoting;

/// <summary>
/// The bytes all connections of one server may hold in frames they have started but not finished receiving. A
/// per-connection frame limit alone lets many connections each park most of a maximal frame; this bounds the sum.
/// </summary>
internal sealed class PartialFrameBudget(long limitBytes)
{
    private long _held;

    public long LimitBytes { get; } = limitBytes;

    public long HeldBytes => Interlocked.Read(ref _held);

    /// <summary>Changes one connection's share by <paramref name="delta"/>; false (and no change) when growing it would exceed the limit.</summary>
    public bool TryAdjust(long delta)
    {
        if (delta <= 0)
        {
            Interlocked.Add(ref _held, delta);
            return true;
        }
        while (true)
        {
            long current = Interlocked.Read(ref _held);
            if (current + delta > LimitBytes) return false;
            if (Interlocked.CompareExchange(ref _held, current + delta, current) == current) return true;
        }
    }
}
