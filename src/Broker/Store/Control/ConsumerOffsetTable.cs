using System.Collections.Concurrent;

namespace RaftMq.Broker.Store.Control;

/// <summary>Consumer offsets by (group, topic, queueId). Thread-safe.</summary>
internal sealed class ConsumerOffsetTable
{
    private readonly ConcurrentDictionary<(string Group, string Topic, int QueueId), long> _offsets = new();

    public int Count => _offsets.Count;

    public bool TryGet(string group, string topic, int queueId, out long offset) =>
        _offsets.TryGetValue((group, topic, queueId), out offset);

    public void Set(string group, string topic, int queueId, long offset) => _offsets[(group, topic, queueId)] = offset;

    public IReadOnlyDictionary<(string Topic, int QueueId), long> OfGroup(string group)
    {
        var result = new Dictionary<(string Topic, int QueueId), long>();
        foreach (var (key, offset) in _offsets)
        {
            if (key.Group == group) result[(key.Topic, key.QueueId)] = offset;
        }
        return result;
    }

    public bool HasGroup(string group)
    {
        foreach (var key in _offsets.Keys)
        {
            if (key.Group == group) return true;
        }
        return false;
    }

    /// <summary>Removes every group's offsets of <paramref name="topic"/>; returns how many.</summary>
    public int RemoveTopic(string topic)
    {
        int removed = 0;
        foreach (var key in _offsets.Keys)
        {
            if (key.Topic == topic && _offsets.TryRemove(key, out _)) removed++;
        }
        return removed;
    }

    public IReadOnlyCollection<string> Groups()
    {
        var groups = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in _offsets.Keys) groups.Add(key.Group);
        return groups;
    }

    /// <summary>Every entry, ordered so that serialised forms are identical on every replica.</summary>
    public List<ConsumerOffsetRecord> ToRecords()
    {
        var records = new List<ConsumerOffsetRecord>(_offsets.Count);
        foreach (var (key, offset) in _offsets) records.Add(new ConsumerOffsetRecord(key.Group, key.Topic, key.QueueId, offset));
        records.Sort(static (a, b) =>
        {
            int byGroup = string.CompareOrdinal(a.Group, b.Group);
            if (byGroup != 0) return byGroup;
            int byTopic = string.CompareOrdinal(a.Topic, b.Topic);
            return byTopic != 0 ? byTopic : a.QueueId.CompareTo(b.QueueId);
        });
        return records;
    }

    /// <summary>Takes every entry out (each removed only if unchanged meanwhile, so a concurrent commit is kept).</summary>
    public List<ConsumerOffsetRecord> Drain()
    {
        var drained = ToRecords();
        drained.RemoveAll(record =>
            !_offsets.TryRemove(new KeyValuePair<(string, string, int), long>((record.Group, record.Topic, record.QueueId), record.Offset)));
        return drained;
    }

    /// <summary>Puts drained entries back unless a newer value arrived meanwhile.</summary>
    public void Restore(IEnumerable<ConsumerOffsetRecord> records)
    {
        foreach (var record in records) _offsets.TryAdd((record.Group, record.Topic, record.QueueId), record.Offset);
    }

    public void Clear() => _offsets.Clear();
}
