using System.Buffers;
using System.Collections;
using System.Collections.Concurrent;
using RaftMq.Broker.Store;

namespace RaftMq.Broker.Processors.Send;

/// <summary>
/// Encoded stored-message records back to back in one pooled buffer, exposed as the list of payloads
/// <see cref="Store.IMessageStore.PutMessagesAsync"/> takes. Instances and their buffers are pooled, so a send
/// allocates nothing for its records. A batch whose put ended with an unknown outcome (or threw) is abandoned
/// instead of returned: the replicated log may still hold on to its bytes, and reusing them could corrupt a
/// proposal that commits later.
/// </summary>
internal sealed class RecordBatch : IReadOnlyList<ReadOnlyMemory<byte>>
{
    private const int InitialBufferSize = 4096;
    private const int RetainedBufferLimit = 1024 * 1024;
    private const int PoolLimit = 256;
    private static readonly ConcurrentQueue<RecordBatch> s_pool = new();
    private static int s_pooled;

    private readonly Enumerator _enumerator;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
    private int[] _starts = new int[4];
    private int[] _lengths = new int[4];
    private int _used;
    private int _count;

    private RecordBatch() => _enumerator = new Enumerator(this);

    public int Count => _count;

    public ReadOnlyMemory<byte> this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)_count, nameof(index));
            return _buffer.AsMemory(_starts[index], _lengths[index]);
        }
    }

    /// <summary>Length of record <paramref name="index"/>.</summary>
    public int LengthAt(int index) => _lengths[index];

    /// <summary>Puts the records and returns their buffers, unless the outcome is unknown: the log may then still
    /// reference the bytes, so they are never reused.</summary>
    public async ValueTask<PutResult> PutAndReturnAsync(IMessageStore store, string topic, int queueId, CancellationToken cancellationToken)
    {
        var status = StoreStatus.Unknown;
        try
        {
            var result = await store.PutMessagesAsync(topic, queueId, this, cancellationToken).ConfigureAwait(false);
            status = result.Status;
            return result;
        }
        finally
        {
            if (status != StoreStatus.Unknown) Return();
        }
    }

    /// <summary><see cref="PutAndReturnAsync"/> for records that each name their own topic and queue.</summary>
    public async ValueTask<StoreStatus> PutRecordsAndReturnAsync(IMessageStore store, CancellationToken cancellationToken)
    {
        var status = StoreStatus.Unknown;
        try
        {
            status = await store.PutRecordsAsync(this, cancellationToken).ConfigureAwait(false);
            return status;
        }
        finally
        {
            if (status != StoreStatus.Unknown) Return();
        }
    }

    public static RecordBatch Rent()
    {
        if (s_pool.TryDequeue(out var batch))
        {
            Interlocked.Decrement(ref s_pooled);
            return batch;
        }
        return new RecordBatch();
    }

    /// <summary>Resets the batch and puts it back in the pool (only once the store no longer needs the bytes).</summary>
    public void Return()
    {
        _used = 0;
        _count = 0;
        if (_buffer.Length > RetainedBufferLimit)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
        }
        if (Interlocked.Increment(ref s_pooled) <= PoolLimit)
        {
            s_pool.Enqueue(this);
            return;
        }
        Interlocked.Decrement(ref s_pooled);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }

    /// <summary>A span of exactly <paramref name="size"/> bytes for the next record; call <see cref="Commit"/> after writing it.</summary>
    public Span<byte> Reserve(int size)
    {
        if (_used + size > _buffer.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_used + size, _buffer.Length * 2));
            _buffer.AsSpan(0, _used).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }
        return _buffer.AsSpan(_used, size);
    }

    public void Commit(int size)
    {
        if (_count == _starts.Length)
        {
            Array.Resize(ref _starts, _count * 2);
            Array.Resize(ref _lengths, _count * 2);
        }
        _starts[_count] = _used;
        _lengths[_count] = size;
        _count++;
        _used += size;
    }

    /// <summary>Reuses one enumerator per batch: a batch has a single user at a time.</summary>
    public IEnumerator<ReadOnlyMemory<byte>> GetEnumerator()
    {
        _enumerator.Reset();
        return _enumerator;
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private sealed class Enumerator(RecordBatch batch) : IEnumerator<ReadOnlyMemory<byte>>
    {
        private int _index = -1;

        public ReadOnlyMemory<byte> Current => batch[_index];

        object IEnumerator.Current => Current;

        public bool MoveNext() => ++_index < batch._count;

        public void Reset() => _index = -1;

        public void Dispose()
        {
        }
    }
}
