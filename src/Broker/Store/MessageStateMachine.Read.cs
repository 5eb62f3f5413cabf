using System.Buffers;
using System.Buffers.Binary;
using RaftMq.Broker.Store.ConsumeQueue;
using RaftMq.Consensus;
using RaftMq.Protocol.Messages;

namespace RaftMq.Broker.Store;

public sealed partial class MessageStateMachine
{
    /// <summary>ConsumeQueue units scanned per pull at most when a tag filter rejects them (RocketMQ's maxFilterMessageCount).</summary>
    private const int MaxUnitsScannedPerPull = 800;

    public GetResult GetMessages(string topic, int queueId, long queueOffset, int maxMessages, int maxBytes,
        Func<long, bool>? tagFilter, IBufferWriter<byte> destination, StoredRecordPredicate? recordFilter = null)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var log = _log;
        var queue = _queues.Find(topic, queueId);
        if (queue is null || log is null) return new GetResult(GetStatus.NoMatchedLogicQueue, 0, 0, 0, 0);
        long max = queue.NextOffset;
        long min = queue.MinOffset(log.FirstRetainedPos);
        // Pull semantics of rocketmq-wire-protocol.md section 12.
        if (max == 0) return new GetResult(GetStatus.NoMessageInQueue, 0, 0, min, max);
        if (queueOffset < min) return new GetResult(GetStatus.OffsetTooSmall, 0, min, min, max);
        if (queueOffset == max) return new GetResult(GetStatus.OffsetOverflowOne, 0, queueOffset, min, max);
        if (queueOffset > max) return new GetResult(GetStatus.OffsetOverflowBadly, 0, max, min, max);
        var (count, next) = CopyMessages(log, queue, queueOffset, Math.Max(1, maxMessages), maxBytes, new ReadFilter(tagFilter, recordFilter), destination);
        return new GetResult(count > 0 ? GetStatus.Found : GetStatus.NoMatchedMessage, count, next, min, max);
    }

    public long GetScheduleProgress(int scheduleQueueId) => _scheduleProgress.GetValueOrDefault(scheduleQueueId);

    public long GetMaxOffset(string topic, int queueId) => _queues.Find(topic, queueId)?.NextOffset ?? 0;

    public long GetMinOffset(string topic, int queueId) =>
        _queues.Find(topic, queueId) is { } queue ? queue.MinOffset(_log?.FirstRetainedPos ?? 0) : 0;

    public long SearchOffsetByTime(string topic, int queueId, long timestampMs)
    {
        var log = _log;
        var queue = _queues.Find(topic, queueId);
        if (queue is null || log is null) return 0;
        long low = queue.MinOffset(log.FirstRetainedPos);
        long high = queue.NextOffset;
        while (low < high)
        {
            long middle = low + ((high - low) / 2);
            if (StoreTimestampAt(log, queue, middle) < timestampMs) low = middle + 1;
            else high = middle;
        }
        return low;
    }

    public long GetEarliestStoreTime(string topic, int queueId)
    {
        var log = _log;
        var queue = _queues.Find(topic, queueId);
        if (queue is null || log is null) return -1;
        long min = queue.MinOffset(log.FirstRetainedPos);
        return min < queue.NextOffset ? StoreTimestampAt(log, queue, min) : -1;
    }

    public IReadOnlyList<ConsumeQueueEntry>? ReadConsumeQueue(string topic, int queueId, long index, int count)
    {
        var log = _log;
        var queue = _queues.Find(topic, queueId);
        if (queue is null || log is null) return null;
        if (index < queue.MinOffset(log.FirstRetainedPos) || index >= queue.NextOffset || count <= 0) return [];
        var units = new ConsumeQueueUnit[(int)Math.Min(count, queue.NextOffset - index)];
        int read = queue.Read(index, units);
        var entries = new List<ConsumeQueueEntry>(read);
        Span<byte> timestamp = stackalloc byte[8];
        foreach (var unit in units.AsSpan(0, read))
        {
            long stored = log.TryReadCommitted(unit.PhysicalOffset + StoredMessageLayout.StoreTimestampOffset, timestamp)
                ? BinaryPrimitives.ReadInt64BigEndian(timestamp)
                : -1;
            entries.Add(new ConsumeQueueEntry(unit.PhysicalOffset, unit.Size, unit.TagsCode, stored));
        }
        return entries;
    }

    public long GetStoreTime(string topic, int queueId, long queueOffset)
    {
        var log = _log;
        var queue = _queues.Find(topic, queueId);
        if (queue is null || log is null || queueOffset < queue.MinOffset(log.FirstRetainedPos) || queueOffset >= queue.NextOffset) return -1;
        long time = StoreTimestampAt(log, queue, queueOffset);
        return time == long.MinValue ? -1 : time;
    }

    public bool TryReadMessage(long physicalOffset, IBufferWriter<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var log = _log;
        Span<byte> head = stackalloc byte[8];
        if (log is null || physicalOffset < 0 || !log.TryReadCommitted(physicalOffset, head)) return false;
        int size = BinaryPrimitives.ReadInt32BigEndian(head);
        if (BinaryPrimitives.ReadInt32BigEndian(head[4..]) != StoredMessageLayout.MessageMagicCode) return false;
        if (size < StoredMessageLayout.FixedSize || size > _options.MaxMessageSizeBytes) return false;
        var record = destination.GetSpan(size)[..size];
        if (!log.TryReadCommitted(physicalOffset, record) || !StoredMessageView.TryRead(record, out var view)) return false;
        // Only dispatched messages are visible, and the queue offset to patch in is the unit pointing here.
        long queueOffset = _queues.Find(view.Topic, view.QueueId)?.FindByPhysicalOffset(physicalOffset) ?? -1;
        if (queueOffset < 0) return false;
        StoredMessageCodec.PatchQueueOffset(record, queueOffset);
        StoredMessageCodec.PatchPhysicalOffset(record, physicalOffset);
        destination.Advance(size);
        return true;
    }

    private (int Count, long NextOffset) CopyMessages(IReplicatedLog log, LogicalQueue queue, long from, int maxMessages, int maxBytes,
        ReadFilter filter, IBufferWriter<byte> destination)
    {
        Span<ConsumeQueueUnit> units = stackalloc ConsumeQueueUnit[64];
        long offset = from;
        long scanEnd = Math.Min(queue.NextOffset, from + Math.Max(MaxUnitsScannedPerPull, maxMessages));
        int count = 0;
        long bytes = 0;
        while (offset < scanEnd && count < maxMessages)
        {
            int read = queue.Read(offset, units[..(int)Math.Min(units.Length, scanEnd - offset)]);
            if (read == 0) break;
            for (int i = 0; i < read && count < maxMessages; i++, offset++)
            {
                var unit = units[i];
                if (filter.Tags is not null && !filter.Tags(unit.TagsCode)) continue;
                if (count > 0 && bytes + unit.Size > maxBytes) return (count, offset);
                if (!TryCopyMessage(log, queue, offset, unit, filter.Record, destination)) continue;
                count++;
                bytes += unit.Size;
            }
        }
        return (count, offset);
    }

    /// <summary>Copies the message of one unit with QUEUEOFFSET and PHYSICALOFFSET patched; false when retention removed
    /// it meanwhile or the log holds something else there (then the unit is reported and not served), or when the
    /// record filter rejects it.</summary>
    private bool TryCopyMessage(IReplicatedLog log, LogicalQueue queue, long queueOffset, in ConsumeQueueUnit unit,
        StoredRecordPredicate? recordFilter, IBufferWriter<byte> destination)
    {
        if (unit.Size < StoredMessageLayout.FixedSize || unit.Size > _options.MaxMessageSizeBytes)
        {
            _logger.UnitMismatch(queue.Topic, queue.QueueId, queueOffset, unit.PhysicalOffset, $"unit size {unit.Size} is impossible");
            return false;
        }
        var record = destination.GetSpan(unit.Size)[..unit.Size];
        if (!log.TryReadCommitted(unit.PhysicalOffset, record)) return false;
        int size = BinaryPrimitives.ReadInt32BigEndian(record);
        int magic = BinaryPrimitives.ReadInt32BigEndian(record[StoredMessageLayout.MagicCodeOffset..]);
        if (size != unit.Size || magic != StoredMessageLayout.MessageMagicCode)
        {
            _logger.UnitMismatch(queue.Topic, queue.QueueId, queueOffset, unit.PhysicalOffset, $"found size {size} magic 0x{magic:X8}");
            return false;
        }
        if (recordFilter is not null && !recordFilter(record)) return false;
        StoredMessageCodec.PatchQueueOffset(record, queueOffset);
        StoredMessageCodec.PatchPhysicalOffset(record, unit.PhysicalOffset);
        destination.Advance(unit.Size);
        return true;
    }

    /// <summary>Store time of the message at a queue offset; long.MinValue when it is no longer readable.</summary>
    private static long StoreTimestampAt(IReplicatedLog log, LogicalQueue queue, long queueOffset)
    {
        Span<byte> timestamp = stackalloc byte[8];
        if (!queue.TryReadUnit(queueOffset, out var unit)) return long.MinValue;
        if (!log.TryReadCommitted(unit.PhysicalOffset + StoredMessageLayout.StoreTimestampOffset, timestamp)) return long.MinValue;
        return BinaryPrimitives.ReadInt64BigEndian(timestamp);
    }

    /// <summary>The two stages of a pull's filter: tag hash on the ConsumeQueue unit, then the message record.</summary>
    private readonly record struct ReadFilter(Func<long, bool>? Tags, StoredRecordPredicate? Record);
}

/// <summary>One ConsumeQueue as the simulator's checkers compare it across replicas: the physical offset of every unit
/// in [Floor, Next), and the log position of the entry that last dropped the topic's queues (-1: never), which tells
/// the incarnations of a topic apart (a re-created queue starts again at offset 0).</summary>
internal sealed record ConsumeQueueImage(string Topic, int QueueId, long Floor, long Next, long[] PhysicalOffsets, long DroppedAt = -1);

public sealed partial class MessageStateMachine
{
    /// <summary>Every ConsumeQueue's units, sorted by topic and queue (a checker's view; reads the files).</summary>
    internal List<ConsumeQueueImage> ConsumeQueueImages()
    {
        var images = new List<ConsumeQueueImage>();
        lock (_applyLock)
        {
            foreach (var queue in _queues.All())
            {
                long floor = queue.FloorOffset, next = queue.NextOffset;
                var units = new ConsumeQueueUnit[Math.Max(0, next - floor)];
                int read = queue.Read(floor, units);
                images.Add(new ConsumeQueueImage(queue.Topic, queue.QueueId, floor, next, units.Take(read).Select(static u => u.PhysicalOffset).ToArray(),
                    _topicDropPositions.GetValueOrDefault(queue.Topic, -1)));
            }
        }
        images.Sort(static (a, b) => string.CompareOrdinal(a.Topic, b.Topic) is var byTopic and not 0 ? byTopic : a.QueueId.CompareTo(b.QueueId));
        return images;
    }
}
