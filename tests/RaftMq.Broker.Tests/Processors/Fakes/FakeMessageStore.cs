using System.Buffers;
using System.Collections.Concurrent;
using RaftMq.Broker.Store;
using RaftMq.Consensus.Core;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Messages;

namespace RaftMq.Broker.Tests.Processors.Fakes;

/// <summary>
/// An in-memory <see cref="IMessageStore"/> that behaves like the real one as far as processors can tell:
/// queue offsets assigned in put order, physical offset = pos + entry header, QUEUEOFFSET/PHYSICALOFFSET patched in
/// reads, §12 statuses. Tests steer it: writability, a forced put status, a gate that holds puts.
/// </summary>
internal sealed partial class FakeMessageStore : IMessageStore
{
    private readonly object _gate = new();
    private readonly Dictionary<long, byte[]> _byPhysicalOffset = [];
    private readonly Dictionary<(string Topic, int QueueId), List<long>> _queues = [];
    private readonly ConcurrentDictionary<string, TopicConfig> _topics = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Group, string Topic, int QueueId), long> _offsets = new();
    private readonly ConcurrentDictionary<int, long> _scheduleProgress = new();
    private long _nextPos = 1000;

    public bool IsWritable { get; set; } = true;

    public string? LeaderId { get; set; } = "n0";

    /// <summary>When set, puts and topic upserts answer this status without storing anything.</summary>
    public StoreStatus? ForcedStatus { get; set; }

    /// <summary>When set, puts wait for it before storing (to fill processor queues).</summary>
    public TaskCompletionSource? PutGate { get; set; }

    public int PutCalls;

    public event Action<bool>? RoleChanged;

    public event Action<string, int, long>? MessagesArrived;

    public void RaiseRoleChanged(bool writable)
    {
        IsWritable = writable;
        RoleChanged?.Invoke(writable);
    }

    public long GetScheduleProgress(int scheduleQueueId) => _scheduleProgress.GetValueOrDefault(scheduleQueueId);

    public void AddTopic(string name, int queues = 4, int perm = PermName.ReadWrite) =>
        _topics[name] = new TopicConfig(name, queues, queues, perm);

    public async ValueTask<PutResult> PutMessagesAsync(string topic, int queueId, IReadOnlyList<ReadOnlyMemory<byte>> storedMessages,
        CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref PutCalls);
        if (PutGate is { } gate) await gate.Task.WaitAsync(cancellationToken);
        if (ForcedStatus is { } forced) return new PutResult(forced, 0, 0, LeaderId);
        if (!IsWritable) return new PutResult(StoreStatus.NotLeader, 0, 0, LeaderId);
        foreach (var message in storedMessages)
        {
            var view = StoredMessageView.Read(message.Span);
            if (view.Topic != topic || view.QueueId != queueId)
                throw new InvalidOperationException("processor handed the store a record with wrong topic/queue");
        }
        var (firstQueueOffset, firstPhysical) = Append(storedMessages);
        return new PutResult(StoreStatus.Ok, firstQueueOffset, firstPhysical, LeaderId);
    }

    /// <summary>Calls of <see cref="PutRecordsAsync"/> (re-deliveries of delayed messages).</summary>
    public int RecordPutCalls;

    public async ValueTask<StoreStatus> PutRecordsAsync(IReadOnlyList<ReadOnlyMemory<byte>> storedMessages, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref RecordPutCalls);
        if (PutGate is { } gate) await gate.Task.WaitAsync(cancellationToken);
        if (ForcedStatus is { } forced) return forced;
        if (!IsWritable) return StoreStatus.NotLeader;
        Append(storedMessages);
        return StoreStatus.Ok;
    }

    /// <summary>Stores each record in the queue it names; returns the first one's queue and physical offsets.</summary>
    private (long QueueOffset, long PhysicalOffset) Append(IReadOnlyList<ReadOnlyMemory<byte>> storedMessages)
    {
        long firstQueueOffset = -1, firstPhysical = -1;
        var arrived = new List<(string Topic, int QueueId, long Max)>();
        lock (_gate)
        {
            foreach (var message in storedMessages)
            {
                var view = StoredMessageView.Read(message.Span);
                if (view.QueueOffset != 0 || view.PhysicalOffset != 0)
                {
                    throw new InvalidOperationException("processor handed the store a record with offsets already set");
                }
                if (!_queues.TryGetValue((view.Topic, view.QueueId), out var queue)) _queues[(view.Topic, view.QueueId)] = queue = [];
                long physical = _nextPos + EntryLayout.HeaderSize;
                if (firstPhysical < 0) (firstQueueOffset, firstPhysical) = (queue.Count, physical);
                _byPhysicalOffset[physical] = message.ToArray();
                queue.Add(physical);
                _nextPos = physical + message.Length;
                if (MessageProperties.TryGetValue(view.PropertiesUtf8, "RMQ_SCHEDULED_FROM"u8, out var from))
                {
                    var parts = System.Text.Encoding.UTF8.GetString(from).Split(',');
                    long next = long.Parse(parts[1]) + 1;
                    _scheduleProgress.AddOrUpdate(int.Parse(parts[0]), next, (_, current) => Math.Max(current, next));
                }
                arrived.Add((view.Topic, view.QueueId, queue.Count));
            }
        }
        foreach (var (topic, queueId, max) in arrived) MessagesArrived?.Invoke(topic, queueId, max);
        return (firstQueueOffset, firstPhysical);
    }

    /// <summary>Decoded copies of every message stored in a queue, in queue order.</summary>
    public List<DecodedMessage> Messages(string topic, int queueId)
    {
        lock (_gate)
        {
            if (!_queues.TryGetValue((topic, queueId), out var queue)) return [];
            var result = new List<DecodedMessage>();
            for (int i = 0; i < queue.Count; i++) result.Add(StoredMessageView.Read(Patched(queue[i], i)).ToDecodedMessage());
            return result;
        }
    }

    public int TotalMessages
    {
        get
        {
            lock (_gate) return _byPhysicalOffset.Count;
        }
    }

    private byte[] Patched(long physicalOffset, long queueOffset)
    {
        var copy = (byte[])_byPhysicalOffset[physicalOffset].Clone();
        StoredMessageCodec.PatchQueueOffset(copy, queueOffset);
        StoredMessageCodec.PatchPhysicalOffset(copy, physicalOffset);
        return copy;
    }

    private static void Write(IBufferWriter<byte> destination, byte[] record)
    {
        record.CopyTo(destination.GetSpan(record.Length));
        destination.Advance(record.Length);
    }
}
