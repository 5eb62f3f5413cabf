namespace RaftMq.Consensus.Log;

/// <summary>
/// The index units of the most recent entries, in a ring, so that TermAt and reads near the tail (the common
/// case: replication, conflict probes) need no disk access. Covers indexes [First, First + Count).
/// </summary>
internal sealed class RecentUnits(int capacity)
{
    private readonly IndexUnit[] _units = new IndexUnit[capacity];
    private long _first = 1;
    private int _count;

    public long First => _first;
    public int Count => _count;

    /// <summary>Empties the ring; the next unit appended must be for <paramref name="nextIndex"/>.</summary>
    public void Reset(long nextIndex)
    {
        _first = nextIndex;
        _count = 0;
    }

    public void Append(long index, IndexUnit unit)
    {
        if (index != _first + _count) throw new InvalidOperationException($"ring expects index {_first + _count}, got {index}");
        if (_count == _units.Length)
        {
            _first++;
            _count--;
        }
        _units[Slot(index)] = unit;
        _count++;
    }

    public bool TryGet(long index, out IndexUnit unit)
    {
        if (index < _first || index >= _first + _count)
        {
            unit = default;
            return false;
        }
        unit = _units[Slot(index)];
        return true;
    }

    /// <summary>Forgets <paramref name="fromIndex"/> and everything after it.</summary>
    public void TruncateFrom(long fromIndex)
    {
        if (fromIndex <= _first) Reset(fromIndex);
        else if (fromIndex < _first + _count) _count = (int)(fromIndex - _first);
    }

    /// <summary>Forgets everything below <paramref name="index"/>.</summary>
    public void DropBelow(long index)
    {
        if (index <= _first) return;
        if (index >= _first + _count)
        {
            Reset(index);
            return;
        }
        _count -= (int)(index - _first);
        _first = index;
    }

    private int Slot(long index) => (int)(index % _units.Length);
}
