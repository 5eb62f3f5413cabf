namespace RaftMq.Consensus.Core;

/// <summary>
/// The Append messages in flight to one follower in replicate state, each remembered by the last index it
/// carried, oldest first (a fixed ring buffer: the window is bounded by <see cref="RaftOptions.MaxInflightAppends"/>).
/// </summary>
internal sealed class Inflights
{
    private readonly long[] _lastIndexes;
    private int _start;

    public Inflights(int capacity) => _lastIndexes = new long[capacity];

    public int Count { get; private set; }

    public bool Full => Count == _lastIndexes.Length;

    public void Add(long lastIndex)
    {
        if (Full) throw new InvalidOperationException("consensus invariant violated: in-flight window overflow");
        int slot = (_start + Count) % _lastIndexes.Length;
        _lastIndexes[slot] = lastIndex;
        Count++;
    }

    /// <summary>Frees every message whose last index is &lt;= <paramref name="index"/> (they were acknowledged).</summary>
    public void FreeUpTo(long index)
    {
        while (Count > 0 && _lastIndexes[_start] <= index)
        {
            _start = (_start + 1) % _lastIndexes.Length;
            Count--;
        }
    }

    /// <summary>Frees the oldest message, so that a stalled full window can send again (after a heartbeat reply).</summary>
    public void FreeFirst()
    {
        if (Count == 0) return;
        _start = (_start + 1) % _lastIndexes.Length;
        Count--;
    }

    public void Reset()
    {
        _start = 0;
        Count = 0;
    }
}
