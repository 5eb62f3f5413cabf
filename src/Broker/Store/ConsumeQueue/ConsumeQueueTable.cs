using System.Collections.Concurrent;
using RaftMq.Foundation.Storage;

namespace RaftMq.Broker.Store.ConsumeQueue;

/// <summary>All logical queues by topic and queue id, under <c>{storeDir}/consumequeue/</c>.</summary>
internal sealed partial class ConsumeQueueTable : IDisposable
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<int, LogicalQueue>> _topics = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<int, LogicalQueue>>.AlternateLookup<ReadOnlySpan<char>> _bySpan;
    private readonly int _unitsPerFile;
    private readonly IFileSystem _fileSystem;

    public ConsumeQueueTable(IFileSystem fileSystem, string root, int unitsPerFile)
    {
        _fileSystem = fileSystem;
        Root = root;
        _unitsPerFile = unitsPerFile;
        _bySpan = _topics.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public string Root { get; }

    /// <summary>True when any ConsumeQueue directory exists (derived files without a checkpoint mean a rebuild).</summary>
    public bool HasFiles => _fileSystem.DirectoryExists(Root);

    public LogicalQueue? Find(string topic, int queueId) =>
        _topics.TryGetValue(topic, out var queues) && queues.TryGetValue(queueId, out var queue) ? queue : null;

    /// <summary>The queue for a dispatched message; the topic string is only allocated the first time it is seen.</summary>
    public LogicalQueue GetOrCreate(ReadOnlySpan<char> topic, int queueId)
    {
        if (!_bySpan.TryGetValue(topic, out string? name, out var queues))
        {
            name = topic.ToString();
            queues = _topics.GetOrAdd(name, static _ => new());
        }
        if (queues.TryGetValue(queueId, out var queue)) return queue;
        // Only the dispatcher thread creates queues, so the factory runs once per queue.
        queue = new LogicalQueue(_fileSystem, name, queueId, Root, _unitsPerFile, floorOffset: 0, nextOffset: 0);
        return queues.GetOrAdd(queueId, queue);
    }

    /// <summary>Adds a queue restored from a checkpoint or snapshot.</summary>
    public LogicalQueue Add(string topic, int queueId, long floorOffset, long nextOffset)
    {
        var queue = new LogicalQueue(_fileSystem, topic, queueId, Root, _unitsPerFile, floorOffset, nextOffset);
        if (!_topics.GetOrAdd(topic, static _ => new()).TryAdd(queueId, queue))
        {
            queue.Dispose();
            throw new InvalidOperationException($"Queue {topic}/{queueId} was added twice.");
        }
        return queue;
    }

    public IEnumerable<LogicalQueue> All()
    {
        foreach (var queues in _topics.Values)
        {
            foreach (var queue in queues.Values) yield return queue;
        }
    }

    /// <summary>Writes every queue's buffered units and (with <paramref name="fsync"/>) makes its files durable.</summary>
    public void FlushAll(bool fsync = true)
    {
        foreach (var queue in All()) queue.Flush(fsync);
    }

    /// <summary>Closes every queue and deletes all ConsumeQueue files (before re-deriving them from the log).</summary>
    public void Wipe()
    {
        Dispose();
        _fileSystem.DeleteDirectory(Root);
    }

    public void Dispose()
    {
        foreach (var queue in All()) queue.Dispose();
        _topics.Clear();
        lock (_droppedLock) _dropped.Clear(); // their files go with a wipe, or wait for the next start
    }
}
