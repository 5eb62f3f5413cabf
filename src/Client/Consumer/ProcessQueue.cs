using RaftMq.Client.Instance;
using RaftMq.Foundation.Background;
using RaftMq.Protocol.Bodies;

namespace RaftMq.Client.Consumer;

/// <summary>
/// The in-memory state of one assigned queue: messages pulled but not yet consumed (ordered by offset), the next
/// offset to pull, the orderly lock, and a cancellation that stops its pull loop when the queue is reassigned.
/// </summary>
internal sealed class ProcessQueue : IDisposable
{
    private readonly Lock _lock = new();
    private readonly SortedDictionary<long, MessageExt> _waiting = [];
    private readonly SortedDictionary<long, MessageExt> _taken = [];
    private readonly CancellationTokenSource _cancellation;
    private long _maxOffset = -1;
    private volatile bool _dropped;
    private long _lastLockTimestamp;
    private long _lastPullMs;
    private long _lastConsumeMs;

    public ProcessQueue(MessageQueue queue, long nextOffset, CancellationToken stopping)
    {
        Queue = queue;
        NextOffset = nextOffset;
        _cancellation = CancellationTokenSource.CreateLinkedTokenSource(stopping);
    }

    public MessageQueue Queue { get; }

    /// <summary>Next offset to pull; only the queue's pull loop touches it.</summary>
    public long NextOffset { get; set; }

    public CancellationToken Cancellation => _cancellation.Token;

    public bool Dropped => _dropped;

    /// <summary>Orderly: wakes the queue's consume loop when messages arrive.</summary>
    public Signal MessagesArrived { get; } = new();

    /// <summary>Orderly: held while a batch of this queue is being consumed, so an unlock waits for it.</summary>
    public SemaphoreSlim ConsumeGate { get; } = new(1, 1);

    public Task PullLoop { get; set; } = Task.CompletedTask;

    public Task ConsumeLoop { get; set; } = Task.CompletedTask;

    /// <summary>Messages held: waiting plus (orderly) taken for consumption.</summary>
    public int Count
    {
        get
        {
            lock (_lock) return _waiting.Count + _taken.Count;
        }
    }

    public void Drop()
    {
        _dropped = true;
        _cancellation.Cancel();
    }

    public void Add(IReadOnlyList<MessageExt> messages)
    {
        lock (_lock)
        {
            foreach (var message in messages)
            {
                _waiting[message.QueueOffset] = message;
                _maxOffset = Math.Max(_maxOffset, message.QueueOffset);
            }
        }
        MessagesArrived.Set();
    }

    /// <summary>
    /// Concurrent mode: forgets consumed messages and returns the offset that is safe to commit (the lowest
    /// still-unconsumed offset, or one past the highest pulled), or -1 when nothing was ever held.
    /// </summary>
    public long Remove(IReadOnlyList<MessageExt> messages)
    {
        lock (_lock)
        {
            if (_maxOffset < 0) return -1;
            foreach (var message in messages) _waiting.Remove(message.QueueOffset);
            foreach (long first in _waiting.Keys) return first;
            return _maxOffset + 1;
        }
    }

    /// <summary>Orderly: takes the next <paramref name="max"/> messages in offset order.</summary>
    public List<MessageExt> Take(int max)
    {
        var batch = new List<MessageExt>(max);
        lock (_lock)
        {
            foreach (var (offset, message) in _waiting)
            {
                if (batch.Count == max) break;
                batch.Add(message);
            }
            foreach (var message in batch)
            {
                _waiting.Remove(message.QueueOffset);
                _taken[message.QueueOffset] = message;
            }
        }
        return batch;
    }

    /// <summary>Orderly: the taken batch is consumed; returns the offset to commit (one past it), or -1.</summary>
    public long CommitTaken()
    {
        lock (_lock)
        {
            long last = -1;
            foreach (long offset in _taken.Keys) last = offset;
            _taken.Clear();
            return last < 0 ? -1 : last + 1;
        }
    }

    /// <summary>Orderly: puts the taken batch back in front, counting one more delivery attempt.</summary>
    public void ReturnTaken()
    {
        lock (_lock)
        {
            foreach (var (offset, message) in _taken)
            {
                message.ReconsumeTimes++;
                _waiting[offset] = message;
            }
            _taken.Clear();
        }
    }

    public bool IsLocked(TimeProvider time, TimeSpan lease)
    {
        long at = Interlocked.Read(ref _lastLockTimestamp);
        return at != 0 && time.GetElapsedTime(at) < lease;
    }

    public void MarkLocked(TimeProvider time) => Interlocked.Exchange(ref _lastLockTimestamp, time.GetTimestamp());

    public void MarkUnlocked() => Interlocked.Exchange(ref _lastLockTimestamp, 0);

    /// <summary>A pull of this queue was answered (ms since 1970).</summary>
    public void MarkPulled(long nowMs) => Interlocked.Exchange(ref _lastPullMs, nowMs);

    /// <summary>A batch of this queue went through the listener (ms since 1970).</summary>
    public void MarkConsumed(long nowMs) => Interlocked.Exchange(ref _lastConsumeMs, nowMs);

    /// <summary>This queue as GET_CONSUMER_RUNNING_INFO reports it.</summary>
    public ProcessQueueInfo Describe(long commitOffset, TimeProvider time, TimeSpan lockLease)
    {
        var info = new ProcessQueueInfo
        {
            CommitOffset = commitOffset,
            Locked = IsLocked(time, lockLease),
            Dropped = _dropped,
            LastPullTimestamp = Interlocked.Read(ref _lastPullMs),
            LastConsumeTimestamp = Interlocked.Read(ref _lastConsumeMs),
        };
        long lockedAt = Interlocked.Read(ref _lastLockTimestamp);
        if (lockedAt != 0) info.LastLockTimestamp = (time.GetUtcNow() - time.GetElapsedTime(lockedAt)).ToUnixTimeMilliseconds();
        lock (_lock)
        {
            long bytes = 0;
            foreach (var message in _waiting.Values.Concat(_taken.Values))
            {
                bytes += message.Body.Length;
                info.CachedMsgMinOffset = info.CachedMsgCount == 0 ? message.QueueOffset : Math.Min(info.CachedMsgMinOffset, message.QueueOffset);
                info.CachedMsgMaxOffset = Math.Max(info.CachedMsgMaxOffset, message.QueueOffset);
                info.CachedMsgCount++;
            }
            info.CachedMsgSizeInMiB = (int)(bytes / (1024 * 1024));
        }
        return info;
    }

    public void Dispose()
    {
        _cancellation.Dispose();
        ConsumeGate.Dispose();
    }
}
