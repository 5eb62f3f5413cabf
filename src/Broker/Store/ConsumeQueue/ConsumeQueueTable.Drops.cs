using System.Globalization;

namespace RaftMq.Broker.Store.ConsumeQueue;

/// <summary>
/// Dropping a topic's queues (deleteTopic, cleanUnusedTopic): the queues leave the table at once and their files are
/// renamed <c>{name}.dropped-{index}</c> in place (index = the log entry that dropped them; a re-created queue ignores
/// such names). They are deleted once a checkpoint at or after that index is durable. A crash before that finds a
/// checkpoint that still lists the queues: <see cref="RestoreDropsAfter"/> renames the files back, and replaying the
/// entry drops them again.
/// </summary>
internal sealed partial class ConsumeQueueTable
{
    private const string DroppedMarker = ".dropped-";

    /// <summary>Directories of dropped queues whose files wait for a checkpoint, by the index of the entry that dropped them.</summary>
    private readonly List<(long Index, string Directory)> _dropped = [];
    private readonly Lock _droppedLock = new();

    /// <summary>Takes every queue of <paramref name="topic"/> out of the table and retires its files; returns how many
    /// queues there were. Called by the dispatcher (the only writer), so no unit is appended meanwhile.</summary>
    public int Drop(string topic, long index)
    {
        if (!_topics.TryRemove(topic, out var queues)) return 0;
        foreach (var queue in queues.Values)
        {
            queue.Retire(index);
            lock (_droppedLock) _dropped.Add((index, QueueDirectory(topic, queue.QueueId)));
        }
        return queues.Count;
    }

    /// <summary>Deletes the files that entries up to <paramref name="checkpointIndex"/> retired: the durable checkpoint no
    /// longer lists their queues. Returns the topics whose directories may now be empty.</summary>
    public IReadOnlyList<string> PurgeDropsUpTo(long checkpointIndex)
    {
        List<string> directories;
        lock (_droppedLock)
        {
            directories = [.. _dropped.Where(drop => drop.Index <= checkpointIndex).Select(drop => drop.Directory).Distinct(StringComparer.Ordinal)];
            _dropped.RemoveAll(drop => drop.Index <= checkpointIndex);
        }
        foreach (string directory in directories)
        {
            foreach (var (path, index) in DroppedFiles(directory))
            {
                if (index <= checkpointIndex) _fileSystem.Delete(path);
            }
        }
        return [.. directories.Select(directory => Path.GetFileName(Path.GetDirectoryName(directory)!)).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>Deletes the directory of each of <paramref name="topics"/> that has no queue in the table and no file left.
    /// Call under the apply lock: only applying an entry creates a queue (and its directory).</summary>
    public void RemoveEmptyTopicDirectories(IReadOnlyList<string> topics)
    {
        foreach (string topic in topics)
        {
            if (_topics.ContainsKey(topic)) continue;
            string topicDirectory = Path.Combine(Root, topic);
            if (_fileSystem.EnumerateDirectories(topicDirectory).All(directory => !_fileSystem.EnumerateFiles(directory).Any()))
            {
                _fileSystem.DeleteDirectory(topicDirectory);
            }
        }
    }

    /// <summary>
    /// On recovery from a checkpoint at <paramref name="checkpointIndex"/>: files retired by a later entry go back under
    /// their names (the checkpoint lists their queues; of several retirements of one file the earliest, the later ones held
    /// units the replay derives again), and files of retirements the checkpoint already covers are deleted.
    /// </summary>
    public void RestoreDropsAfter(long checkpointIndex)
    {
        foreach (string topicDirectory in _fileSystem.EnumerateDirectories(Root))
        {
            foreach (string directory in _fileSystem.EnumerateDirectories(topicDirectory))
            {
                var restored = new HashSet<string>(StringComparer.Ordinal);
                bool moved = false;
                foreach (var (path, index) in DroppedFiles(directory).OrderBy(file => file.Index))
                {
                    string original = path[..path.LastIndexOf(DroppedMarker, StringComparison.Ordinal)];
                    if (index > checkpointIndex && restored.Add(original))
                    {
                        _fileSystem.Move(path, original); // replaces what a re-created queue wrote there
                        moved = true;
                    }
                    else
                    {
                        _fileSystem.Delete(path);
                    }
                }
                if (moved) _fileSystem.SyncDirectory(directory);
            }
        }
    }

    private string QueueDirectory(string topic, int queueId) => Path.Combine(Root, topic, queueId.ToString(CultureInfo.InvariantCulture));

    /// <summary>Retired files in a queue directory with the index that retired them.</summary>
    private IEnumerable<(string Path, long Index)> DroppedFiles(string directory)
    {
        foreach (string path in _fileSystem.EnumerateFiles(directory))
        {
            int marker = path.LastIndexOf(DroppedMarker, StringComparison.Ordinal);
            if (marker < 0) continue;
            if (long.TryParse(path.AsSpan(marker + DroppedMarker.Length), NumberStyles.None, CultureInfo.InvariantCulture, out long index))
            {
                yield return (path, index);
            }
        }
    }
}
