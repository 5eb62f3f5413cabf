namespace RaftMq.Broker.Store.Index;

/// <summary>One indexed message: where it is and when it was stored.</summary>
internal readonly record struct KeyHit(long PhysicalOffset, long StoreTimestamp);

/// <summary>
/// (topic, key) -> newest physical offsets, for KEYS and UNIQ_KEY lookups. Memory is bounded twice: at most
/// <c>maxHitsPerKey</c> per key and <c>capacity</c> in total, the oldest entries evicted first. Adds must come in
/// log order; an add at or below a key's newest offset is a replay and is ignored, which makes re-applying entries
/// after a restart idempotent. Thread-safe.
/// </summary>
internal sealed class KeyIndex
{
    private readonly Dictionary<(string Topic, string Key), List<KeyHit>> _hits = new();
    private readonly Queue<(string Topic, string Key, long PhysicalOffset)> _insertionOrder = new();
    private readonly int _capacity;
    private readonly int _maxHitsPerKey;
    private readonly Lock _lock = new();

    public KeyIndex(int capacity, int maxHitsPerKey)
    {
        _capacity = capacity;
        _maxHitsPerKey = maxHitsPerKey;
    }

    public int Count
    {
        get
        {
            lock (_lock) return _insertionOrder.Count;
        }
    }

    /// <summary>Adds a hit; false when it is a replay of one already indexed.</summary>
    public bool Add(string topic, string key, KeyHit hit)
    {
        lock (_lock)
        {
            if (!_hits.TryGetValue((topic, key), out var hits))
            {
                hits = new List<KeyHit>(1);
                _hits.Add((topic, key), hits);
            }
            else if (hits.Count > 0 && hits[^1].PhysicalOffset >= hit.PhysicalOffset)
            {
                return false;
            }
            hits.Add(hit);
            if (hits.Count > _maxHitsPerKey) hits.RemoveAt(0);
            _insertionOrder.Enqueue((topic, key, hit.PhysicalOffset));
            while (_insertionOrder.Count > _capacity) EvictOldest();
            return true;
        }
    }

    /// <summary>Physical offsets (ascending) of the newest <paramref name="maxNum"/> hits stored within [begin, end] ms.</summary>
    public List<long> Query(string topic, string key, int maxNum, long beginTimestampMs, long endTimestampMs)
    {
        var result = new List<long>();
        lock (_lock)
        {
            if (!_hits.TryGetValue((topic, key), out var hits)) return result;
            for (int i = hits.Count - 1; i >= 0 && result.Count < maxNum; i--)
            {
                var hit = hits[i];
                if (hit.StoreTimestamp >= beginTimestampMs && hit.StoreTimestamp <= endTimestampMs) result.Add(hit.PhysicalOffset);
            }
        }
        result.Reverse();
        return result;
    }

    /// <summary>Every retained entry in insertion (= log) order, for compacting the journal.</summary>
    public List<(string Topic, string Key, KeyHit Hit)> Entries()
    {
        lock (_lock)
        {
            var entries = new List<(string, string, KeyHit)>(_insertionOrder.Count);
            var cursors = new Dictionary<(string, string), int>();
            foreach (var (topic, key, physicalOffset) in _insertionOrder)
            {
                var hits = _hits[(topic, key)];
                int from = cursors.GetValueOrDefault((topic, key));
                int at = hits.FindIndex(from, hit => hit.PhysicalOffset == physicalOffset);
                if (at < 0) continue; // trimmed by the per-key bound; its queue entry is waiting for eviction
                cursors[(topic, key)] = at + 1;
                entries.Add((topic, key, hits[at]));
            }
            return entries;
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _hits.Clear();
            _insertionOrder.Clear();
        }
    }

    private void EvictOldest()
    {
        var (topic, key, physicalOffset) = _insertionOrder.Dequeue();
        if (!_hits.TryGetValue((topic, key), out var hits)) return;
        if (hits.Count > 0 && hits[0].PhysicalOffset == physicalOffset) hits.RemoveAt(0);
        if (hits.Count == 0) _hits.Remove((topic, key));
    }
}
