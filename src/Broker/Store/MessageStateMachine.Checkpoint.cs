using RaftMq.Broker.Store.Checkpoint;
using RaftMq.Broker.Store.Control;
using RaftMq.Foundation.Storage;

namespace RaftMq.Broker.Store;

public sealed partial class MessageStateMachine
{
    /// <summary>Serialises checkpoint writers (the loop, stop, snapshot restore).</summary>
    private readonly Lock _checkpointLock = new();
    private long _lastCheckpointIndex = -1;

    /// <summary>
    /// Makes the derived state durable up to the current applied index: captures the metadata between two entries,
    /// fsyncs the ConsumeQueue files and the key index (which hold at least everything up to that index), then replaces
    /// the checkpoint atomically. Does nothing when nothing was applied since the last one.
    /// </summary>
    public void WriteCheckpoint()
    {
        lock (_checkpointLock)
        {
            StoreMetadata metadata;
            Index.KeyIndexState keyIndex;
            bool floorsRaised = RaiseFloorsForRetention();
            lock (_applyLock)
            {
                if (AppliedIndex == _lastCheckpointIndex && !floorsRaised) return;
                metadata = CaptureMetadata();
                keyIndex = _keyIndex.Capture();
            }
            _queues.FlushAll(fsync: !_options.Bugs.HasFlag(StorePlantedBugs.SkipQueueFsyncAtCheckpoint));
            _keyIndex.Flush(keyIndex);
            DurableFiles.WriteAtomically(_fileSystem, CheckpointPath, metadata.ToJson());
            _lastCheckpointIndex = metadata.AppliedIndex;
            // Only now that the checkpoint no longer needs them: a crash before this point finds the files still there.
            var purged = _queues.PurgeDropsUpTo(metadata.AppliedIndex);
            if (purged.Count > 0)
            {
                lock (_applyLock) _queues.RemoveEmptyTopicDirectories(purged);
            }
            foreach (var queue in _queues.All()) queue.DeleteFilesBelowFloor();
            _keyIndex.DeleteFilesBelow(_log?.FirstRetainedPos ?? 0);
        }
    }

    /// <summary>Writes the ConsumeQueues' buffered units and fsyncs them, without a checkpoint (tests inspect the files).</summary>
    internal void FlushConsumeQueues() => _queues.FlushAll();

    /// <summary>Lets each queue drop whole files of units whose messages log retention removed; true when any floor moved.</summary>
    private bool RaiseFloorsForRetention()
    {
        long firstRetainedPos = _log?.FirstRetainedPos ?? 0;
        if (firstRetainedPos <= 0) return false;
        bool raised = false;
        foreach (var queue in _queues.All())
        {
            long floor = queue.FloorOffset;
            queue.RaiseFloorForRetention(queue.MinOffset(firstRetainedPos));
            raised |= queue.FloorOffset != floor;
        }
        return raised;
    }

    /// <summary>Topic configs, subscription groups, consumer offsets and queue offsets as of <see cref="AppliedIndex"/> (no message bodies).</summary>
    public ReadOnlyMemory<byte> TakeSnapshot()
    {
        lock (_applyLock) return CaptureMetadata().ToJson();
    }

    /// <summary>
    /// Replaces the state with a snapshot from the leader. Messages before it are not in this node's log, so every
    /// queue continues at the snapshot's next offset and reports that as its min offset.
    /// </summary>
    public void RestoreSnapshot(Consensus.Core.Snapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var metadata = StoreMetadata.TryParse(snapshot.Data.Span, out string? problem)
            ?? throw new InvalidDataException($"State-machine snapshot at index {snapshot.Index} is not a message store snapshot: {problem}.");
        lock (_checkpointLock)
        {
            lock (_applyLock)
            {
                DeleteCheckpoint(); // first: a checkpoint must never outlive the files it vouches for
                ClearDerivedState();
                _keyIndex.Reset(coveredFrom: snapshot.NextPos); // messages before the snapshot are not served here
                LoadMetadata(metadata, restoredFromSnapshot: true);
                Interlocked.Exchange(ref _appliedIndex, snapshot.Index);
                Interlocked.Exchange(ref _appliedTerm, snapshot.Term);
                _lastCheckpointIndex = -1;
            }
            WriteCheckpoint();
        }
        RaiseAclChangedIfPending();
        _logger.SnapshotRestored(snapshot.Index, snapshot.Term, metadata.Topics.Count, metadata.Queues.Count);
    }

    /// <summary>
    /// Forgets everything derived and deletes the checkpoint, so every entry the log holds is dispatched again. The node
    /// calls it on start when the log no longer holds the applied entry (ASYNC_FLUSH power loss): offsets derived from
    /// lost entries must not survive, or the entries that refill those indexes would get no or duplicate queue offsets.
    /// </summary>
    public void Reset()
    {
        lock (_checkpointLock)
        {
            lock (_applyLock)
            {
                _logger.Rebuilding($"the Raft log no longer holds applied entry {AppliedIndex} (term {AppliedTerm})");
                DeleteCheckpoint();
                ClearDerivedState();
                _lastCheckpointIndex = 0;
            }
        }
    }

    /// <summary>
    /// Why recovery could not trust what the checkpoint (or a key-index header) vouched for: a ConsumeQueue short of the
    /// checkpoint, an unreadable checkpoint, index entries failing the checksum their header recorded; null when it
    /// could. The store rebuilds from the log then, but since every checkpoint is written only after the files it
    /// vouches for are durable, a crash alone never causes this: the simulator treats it as a violated write order.
    /// </summary>
    internal string? RecoveryFinding { get; private set; }

    /// <summary>Removes the checkpoint durably (before the files it vouches for go, so that a crash in between finds
    /// files without a checkpoint, which means a rebuild, never a checkpoint without its files).</summary>
    private void DeleteCheckpoint()
    {
        _fileSystem.Delete(CheckpointPath);
        _fileSystem.SyncDirectory(_options.StoreDirectory);
    }

    /// <summary>Loads the checkpoint and checks the derived files against it; anything inconsistent means
    /// re-deriving everything from the log (AppliedIndex 0).</summary>
    private void Recover()
    {
        string? reason = null;
        byte[]? checkpoint = DurableFiles.ReadOrNull(_fileSystem, CheckpointPath);
        if (checkpoint is null)
        {
            if (_queues.HasFiles || _keyIndex.CoveredTo > 0)
            {
                reason = "derived files exist without a checkpoint";
            }
        }
        else
        {
            var metadata = StoreMetadata.TryParse(checkpoint, out string? problem);
            reason = metadata is null ? $"checkpoint {CheckpointPath} is unreadable: {problem}" : LoadCheckpoint(metadata);
            RecoveryFinding = reason;
        }
        RecoveryFinding ??= _keyIndex.VouchedDamage is { } damage ? $"key index file {damage}" : null;
        if (reason is not null)
        {
            _logger.Rebuilding(reason);
            DeleteCheckpoint();
            ClearDerivedState();
        }
        _lastCheckpointIndex = AppliedIndex;
        _logger.Opened(_options.StoreDirectory, AppliedIndex, _topics.Count, _queues.All().Count(), _keyIndex.EntryCount, _keyIndex.FileCount);
    }

    /// <summary>Returns why the files do not match the checkpoint, or null once everything is loaded.</summary>
    private string? LoadCheckpoint(StoreMetadata metadata)
    {
        _queues.RestoreDropsAfter(metadata.AppliedIndex);
        LoadMetadata(metadata, restoredFromSnapshot: false);
        foreach (var queue in _queues.All())
        {
            string? problem = queue.Verify();
            if (problem is not null) return $"ConsumeQueue {queue.Topic}/{queue.QueueId}: {problem}";
        }
        if (_options.Bugs.HasFlag(StorePlantedBugs.ResumeQueuesAfterWrittenUnits))
        {
            foreach (var queue in _queues.All()) queue.ResumeAfterWrittenUnits();
        }
        // Queues created after the checkpoint are not opened here: re-applying their first entry creates them (adopting
        // whatever files they left). Opening them from their directories made the queue set depend on which of their
        // files survived a power loss, so replicas at the same applied index disagreed.
        Interlocked.Exchange(ref _appliedIndex, metadata.AppliedIndex);
        Interlocked.Exchange(ref _appliedTerm, metadata.AppliedTerm);
        return null;
    }

    private void LoadMetadata(StoreMetadata metadata, bool restoredFromSnapshot)
    {
        foreach (var topic in metadata.Topics) _topics[topic.Name] = topic;
        foreach (var offset in metadata.ConsumerOffsets) _appliedOffsets.Set(offset.Group, offset.Topic, offset.QueueId, offset.Offset);
        foreach (var progress in metadata.ScheduleProgress ?? []) _scheduleProgress[progress.QueueId] = progress.NextOffset;
        foreach (var transaction in metadata.Transactions ?? []) _transactions.Prepare(transaction);
        LoadAcl(metadata.Acl, metadata.AclVersion);
        LoadSubscriptionGroups(metadata.SubscriptionGroups, metadata.SubscriptionGroupVersion);
        LoadTopicDrops(metadata.TopicDrops);
        foreach (var queue in metadata.Queues)
        {
            _queues.Add(queue.Topic, queue.QueueId, restoredFromSnapshot ? queue.NextOffset : queue.FloorOffset, queue.NextOffset);
        }
    }

    /// <summary>Forgets everything derived from the log and deletes the derived files (not the checkpoint).</summary>
    private void ClearDerivedState()
    {
        _queues.Wipe();
        _keyIndex.Reset(coveredFrom: 0);
        _topics.Clear();
        _appliedOffsets.Clear();
        _scheduleProgress.Clear();
        _transactions.Clear();
        LoadAcl(null, 0);
        LoadSubscriptionGroups(null, 0);
        LoadTopicDrops(null);
        Interlocked.Exchange(ref _appliedIndex, 0);
        Interlocked.Exchange(ref _appliedTerm, 0);
    }

    private StoreMetadata CaptureMetadata()
    {
        var topics = _topics.Values.ToList();
        topics.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        var queues = new List<QueueMetadata>();
        foreach (var queue in _queues.All()) queues.Add(new QueueMetadata(queue.Topic, queue.QueueId, queue.NextOffset, queue.FloorOffset));
        queues.Sort(static (a, b) =>
        {
            int byTopic = string.CompareOrdinal(a.Topic, b.Topic);
            return byTopic != 0 ? byTopic : a.QueueId.CompareTo(b.QueueId);
        });
        return new StoreMetadata(StoreMetadata.CurrentVersion, AppliedIndex, Interlocked.Read(ref _appliedTerm), topics, queues,
            _appliedOffsets.ToRecords(), _scheduleProgress.OrderBy(static p => p.Key).Select(static p => new ScheduleProgressRecord(p.Key, p.Value)).ToList(),
            _transactions.ToList(), _aclConfig, AclVersion, SortedSubscriptionGroups(), SubscriptionGroupVersion, SortedTopicDrops());
    }
}
