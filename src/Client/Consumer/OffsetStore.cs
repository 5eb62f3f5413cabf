using System.Collections.Concurrent;
using RaftMq.Protocol.Bodies;

namespace RaftMq.Client.Consumer;

/// <summary>
/// Consumed offsets of a consumer group: updated in memory as messages are consumed, persisted in the background
/// (every few seconds, when a queue is given up, at shutdown).
/// </summary>
internal abstract class OffsetStore
{
    private readonly ConcurrentDictionary<MessageQueue, long> _offsets = new();
    private readonly ConcurrentDictionary<MessageQueue, long> _persisted = new();

    /// <summary>Records a consumed offset; with <paramref name="increaseOnly"/> a lower value is ignored.</summary>
    public void Update(MessageQueue queue, long offset, bool increaseOnly)
    {
        if (offset < 0) return;
        _offsets.AddOrUpdate(queue, offset, (_, old) => increaseOnly ? Math.Max(old, offset) : offset);
    }

    /// <summary>The offset held in memory, or -1.</summary>
    public long ReadMemory(MessageQueue queue) => _offsets.TryGetValue(queue, out long offset) ? offset : -1;

    /// <summary>The persisted offset (broker or file), or -1 when there is none.</summary>
    public abstract Task<long> ReadStoredAsync(MessageQueue queue, CancellationToken cancellationToken);

    /// <summary>Persists the offsets of <paramref name="queues"/> that changed since they were last persisted.</summary>
    public abstract Task PersistAsync(IReadOnlyCollection<MessageQueue> queues, CancellationToken cancellationToken);

    public void Forget(MessageQueue queue)
    {
        _offsets.TryRemove(queue, out _);
        _persisted.TryRemove(queue, out _);
    }

    /// <summary>The (queue, offset) pairs among <paramref name="queues"/> whose in-memory value was not persisted yet.</summary>
    protected List<(MessageQueue Queue, long Offset)> Changed(IReadOnlyCollection<MessageQueue> queues)
    {
        var changed = new List<(MessageQueue, long)>();
        foreach (var queue in queues)
        {
            if (_offsets.TryGetValue(queue, out long offset) && (!_persisted.TryGetValue(queue, out long done) || done != offset))
            {
                changed.Add((queue, offset));
            }
        }
        return changed;
    }

    protected void MarkPersisted(MessageQueue queue, long offset) => _persisted[queue] = offset;

    /// <summary>Every offset in memory (for whole-file persistence).</summary>
    protected IEnumerable<KeyValuePair<MessageQueue, long>> All => _offsets;
}
