namespace RaftMq.Broker.Store;

public sealed partial class MessageStore
{
    /// <summary>The offset committed on this leader but not yet in the log wins over the applied one.</summary>
    public long QueryConsumerOffset(string group, string topic, int queueId) =>
        _pendingOffsets.TryGet(group, topic, queueId, out long pending) ? pending
        : _machine.AppliedConsumerOffset(group, topic, queueId);

    /// <summary>Taken on the writable leader only (like a RocketMQ slave, a follower ignores offset commits).</summary>
    public void CommitConsumerOffset(string group, string topic, int queueId, long offset)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(topic);
        if (!IsWritable) return;
        _pendingOffsets.Set(group, topic, queueId, offset);
    }

    /// <summary>
    /// Sets the group's offsets of <paramref name="topic"/>'s queues (backwards too) and writes them to the log at once
    /// instead of at the next commit interval; Ok once applied here, so an offline group finds them after any failover.
    /// </summary>
    public ValueTask<StoreStatus> ResetConsumerOffsetsAsync(string group, string topic, IReadOnlyList<(int QueueId, long Offset)> offsets,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(topic);
        ArgumentNullException.ThrowIfNull(offsets);
        if (!IsWritable) return ValueTask.FromResult(StoreStatus.NotLeader);
        var records = new List<Control.ConsumerOffsetRecord>(offsets.Count);
        foreach (var (queueId, offset) in offsets)
        {
            _pendingOffsets.Set(group, topic, queueId, offset); // reads on this leader see the reset before it is applied
            records.Add(new Control.ConsumerOffsetRecord(group, topic, queueId, offset));
        }
        return ProposeConsumerOffsetsAsync(records, cancellationToken);
    }

    /// <summary>Applied offsets of the group, overlaid with those still pending on this leader.</summary>
    public IReadOnlyDictionary<(string Topic, int QueueId), long> ConsumerOffsets(string group)
    {
        var offsets = new Dictionary<(string Topic, int QueueId), long>(_machine.AppliedConsumerOffsets(group));
        foreach (var (key, offset) in _pendingOffsets.OfGroup(group)) offsets[key] = offset;
        return offsets;
    }

    public IReadOnlyCollection<string> ConsumerGroups
    {
        get
        {
            var groups = new HashSet<string>(_machine.AppliedConsumerGroups, StringComparer.Ordinal);
            groups.UnionWith(_pendingOffsets.Groups());
            return groups;
        }
    }

    /// <summary>Proposes the pending consumer offsets now instead of at the next interval (shutdown, tests).</summary>
    internal ValueTask<StoreStatus> CommitPendingConsumerOffsetsAsync(CancellationToken cancellationToken = default) =>
        _offsetCommitter.CommitPendingAsync(cancellationToken);
}
