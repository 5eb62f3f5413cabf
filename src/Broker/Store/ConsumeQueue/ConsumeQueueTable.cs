using System.Collections.Concurrent;
using System.Globalization;

namespace RaftMq.Broker.Store.ConsumeQueue;

/// <summary>All logical queues by topic and queue id, under <c>{storeDir}/consumequeue/</c>.</summary>
internal sealed partial class ConsumeQueueTable : IDisposable
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<int, LogicalQueue>> _topics = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<int, LogicalQueue>>.AlternateLookup<ReadOnlySpan<char>> _bySpan;
    private readonly int _unitsPerFile;

    public ConsumeQueueTable(string root, int unitsPerFile)
    {
        Root = root;
        _unitsPerFile = unitsPerFile;
        _bySpan = _topics.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public string Root { get; }

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
        queue = new LogicalQueue(name, queueId, Root, _unitsPerFile, floorOffset: 0, nextOffset: 0);
        return queues.GetOrAdd(queueId, queue);
    }

    /// <summary>Adds a queue restored from a checkpoint or snapshot.</summary>
    public LogicalQueue Add(string topic, int queueId, long floorOffset, long nextOffset)
    {
        var queue = new LogicalQueue(topic, queueId, Root, _unitsPerFile, floorOffset, nextOffset);
        if (!_topics.GetOrAdd(topic, static _ => new()).TryAdd(queueId, queue))
        {
            queue.Dispose();
            throw new InvalidOperationException($"Queue {topic}/{queueId} was added twice.");
        }
        return queue;
    }

    /// <summary>Opens queues that have files on disk but are not in the checkpoint (created after it; re-applying the
    /// log rewrites their units).</summary>
    public void OpenUnlistedQueues()
    {
        if (!Directory.Exists(Root)) return;
        foreach (string topicDirectory in Directory.EnumerateDirectories(Root))
        {
            string topic = Path.GetFileName(topicDirectory);
            foreach (string queueDirectory in Directory.EnumerateDirectories(topicDirectory))
            {
                if (!int.TryParse(Path.GetFileName(queueDirectory), NumberStyles.None, CultureInfo.InvariantCulture, out int queueId)) continue;
                if (Find(topic, queueId) is null) Add(topic, queueId, 0, 0);
            }
        }
    }

    public IEnumerable<LogicalQueue> All()
    {
        foreach (var queues in _topics.Values)
        {
            foreach (var queue in queues.Values) yield return queue;
        }
    }

    public void FlushAll()
    {
        foreach (var queue in All()) queue.Flush();
    }

    /// <summary>Closes every queue and deletes all ConsumeQueue files, dropped ones included (before re-deriving them from the log).</summary>
    public void Wipe()
    {
        Dispose();
        if (Directory.Exists(Root)) Directory.Delete(Root, recursive: true);
        if (Directory.Exists(DroppedRoot)) Directory.Delete(DroppedRoot, recursive: true);
    }

    public void Dispose()
    {
        foreach (var queue in All()) queue.Dispose();
        _topics.Clear();
        CloseDropped();
    }
}
