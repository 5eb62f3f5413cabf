namespace RaftMq.Consensus.Core;

/// <summary>
/// The Append messages in flight to one follower in replicate state, each remembered by the last index it
/// carried and its entry bytes, oldest first (a fixed ring buffer). The window is full at
/// <see cref="RaftOptions.MaxInflightAppends"/> messages or <see cref="RaftOptions.MaxInflightBytes"/> bytes, whichever
/// comes first, so catching up a far-behind follower never puts more than that on the wire (and never reads more
/// than that from the log) before the follower acknowledges some of it.
/// </summary>
internal sealed class Inflights
{
    private readonly long[] _lastIndexes;
    private readonly long[] _bytes;
    private readonly long _maxBytes;
    private int _start;

    public Inflights(int capacity, long maxBytes)
    {
        _lastIndexes = new long[capacity];
        _bytes = new long[capacity];
        _maxBytes = maxBytes;
    }

    public int Count { get; private set; }

    /// <summary>Entry bytes of the messages in flight.</summary>
    public long Bytes { get; private set; }

    public bool Full => Count == _lastIndexes.Length || Bytes >= _maxBytes;

    public void Add(long lastIndex, long bytes)
    {
        if (Count == _lastIndexes.Length) throw new InvalidOperationException("consensus invariant violated: in-flight window overflow");
        int slot = (_start + Count) % _lastIndexes.Length;
        _lastIndexes[slot] = lastIndex;
        _bytes[slot] = bytes;
        Count++;
        Bytes += bytes;
    }

    /// <summary>Frees every message whose last index is &lt;= <paramref name="index"/> (they were acknowledged).</summary>
    public void FreeUpTo(long index)
    {
        while (Count > 0 && _lastIndexes[_start] <= index) RemoveFirst();
    }

    /// <summary>Frees the oldest message, so that a stalled full window can send again (after a heartbeat reply).</summary>
    public void FreeFirst()
    {
        if (Count > 0) RemoveFirst();
    }

    private void RemoveFirst()
    {
        Bytes -= _bytes[_start];
        _start = (_start + 1) % _lastIndexes.Length;
        Count--;
    }

    public void Reset()
    {
        _start = 0;
        Count = 0;
        Bytes = 0;
    }
}
