using System.Globalization;

namespace RaftMq.Broker.Store.ConsumeQueue;

/// <summary>
/// Dropping a topic's queues (deleteTopic, cleanUnusedTopic): the queues leave the table at once, their directory moves to
/// <c>{storeDir}/consumequeue-dropped/{index}/{topic}</c> (index = the log entry that dropped them), and the files are
/// deleted only once a checkpoint at or after that index is durable. A crash before that finds a checkpoint that still
/// lists the queues: <see cref="RestoreDropsAfter"/> moves their files back, and replaying the entry drops them again.
/// </summary>
internal sealed partial class ConsumeQueueTable
{
    /// <summary>Dropped queues still open (a pull may be reading them), by the index of the entry that dropped them.</summary>
    private readonly List<(long Index, List<LogicalQueue> Queues)> _dropped = [];
    private readonly Lock _droppedLock = new();

    /// <summary>Where dropped topics' files wait for the next checkpoint.</summary>
    public string DroppedRoot => Root + "-dropped";

    /// <summary>Takes every queue of <paramref name="topic"/> out of the table and moves its files aside; returns how many
    /// queues there were. Called by the dispatcher (the only writer), so no unit is appended meanwhile.</summary>
    public int Drop(string topic, long index)
    {
        if (!_topics.TryRemove(topic, out var queues)) return 0;
        var dropped = new List<LogicalQueue>(queues.Values);
        foreach (var queue in dropped) queue.DiscardTail(); // a checkpoint flushing it now can no longer write into the old path
        string from = Path.Combine(Root, topic);
        if (Directory.Exists(from))
        {
            string to = Path.Combine(DroppedDirectory(index), topic);
            if (Directory.Exists(to)) Directory.Delete(to, recursive: true); // the same entry replayed after a restart
            Directory.CreateDirectory(DroppedDirectory(index));
            Directory.Move(from, to);
        }
        lock (_droppedLock) _dropped.Add((index, dropped));
        return dropped.Count;
    }

    /// <summary>Closes and deletes what entries up to <paramref name="checkpointIndex"/> dropped: the durable checkpoint
    /// no longer lists those queues.</summary>
    public void PurgeDropsUpTo(long checkpointIndex)
    {
        List<LogicalQueue> closing = [];
        lock (_droppedLock)
        {
            foreach (var (_, queues) in _dropped.Where(drop => drop.Index <= checkpointIndex)) closing.AddRange(queues);
            _dropped.RemoveAll(drop => drop.Index <= checkpointIndex);
        }
        foreach (var queue in closing) queue.Dispose();
        foreach (var (index, directory) in DroppedDirectories())
        {
            if (index <= checkpointIndex) Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>
    /// On recovery from a checkpoint at <paramref name="checkpointIndex"/>: files dropped by a later entry go back where the
    /// checkpoint expects them (the earliest such drop of a topic; a later one held files re-derived by the replay), and
    /// files of drops the checkpoint already covers are deleted.
    /// </summary>
    public void RestoreDropsAfter(long checkpointIndex)
    {
        var restored = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (index, directory) in DroppedDirectories())
        {
            if (index > checkpointIndex)
            {
                foreach (string topicDirectory in Directory.EnumerateDirectories(directory))
                {
                    string topic = Path.GetFileName(topicDirectory);
                    if (!restored.Add(topic)) continue;
                    string home = Path.Combine(Root, topic);
                    if (Directory.Exists(home)) Directory.Delete(home, recursive: true); // re-created after the drop: the replay re-derives it
                    Directory.CreateDirectory(Root);
                    Directory.Move(topicDirectory, home);
                }
            }
            Directory.Delete(directory, recursive: true);
        }
    }

    private void CloseDropped()
    {
        lock (_droppedLock)
        {
            foreach (var (_, queues) in _dropped)
            {
                foreach (var queue in queues) queue.Dispose();
            }
            _dropped.Clear();
        }
    }

    private string DroppedDirectory(long index) => Path.Combine(DroppedRoot, index.ToString("D20", CultureInfo.InvariantCulture));

    /// <summary>Dropped-files directories in index order.</summary>
    private List<(long Index, string Directory)> DroppedDirectories()
    {
        var found = new List<(long, string)>();
        if (!Directory.Exists(DroppedRoot)) return found;
        foreach (string directory in Directory.EnumerateDirectories(DroppedRoot))
        {
            if (long.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out long index)) found.Add((index, directory));
        }
        found.Sort(static (a, b) => a.Item1.CompareTo(b.Item1));
        return found;
    }
}
