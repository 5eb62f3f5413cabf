using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace RaftMq.Client.Trace;

/// <summary>Writes one trace message: its body (records back to back) and the keys it is indexed by.</summary>
internal delegate Task TraceMessageWriter(string body, IReadOnlyCollection<string> keys, CancellationToken cancellationToken);

/// <summary>
/// Sizes and timing of a <see cref="TraceDispatcher"/>. The defaults are the Java client's (5.x) AsyncTraceDispatcher's:
/// a trace message is cut by size or sent once its first record is half a second old, so that a busy producer writes
/// few large trace messages instead of many small ones.
/// </summary>
internal sealed record TraceDispatcherSettings
{
    /// <summary>Records waiting to be packed; when full, new records are dropped and counted (Java: 1024).</summary>
    public int BufferCapacity { get; init; } = 1024;

    /// <summary>Records per trace message at most.</summary>
    public int MaxRecordsPerMessage { get; init; } = 2000;

    /// <summary>A trace message is cut once its body reaches this many characters (Java: 128000 - 10000).</summary>
    public int MaxBodyChars { get; init; } = 118_000;

    /// <summary>A trace message is cut once its KEYS reach this many characters, well inside the 32 KiB that a
    /// message's properties may take on the wire.</summary>
    public int MaxKeysChars { get; init; } = 20_000;

    /// <summary>Trace messages being sent at once.</summary>
    public int MaxConcurrentWrites { get; init; } = 4;

    /// <summary>The oldest a record may get in a trace message that is not full yet before it is sent (Java's
    /// waitTimeThresholdMil, 500 ms).</summary>
    public TimeSpan MaxBatchAge { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>While a trace message fills, how often the buffer is drained into it. Polling at this pace rather than
    /// waking per record keeps the cost per record to its encoding; the buffer holds 1024 records, enough for
    /// 100,000 records/s at 10 ms.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>At dispose: the most to wait for buffered records to be written.</summary>
    public TimeSpan FlushTimeout { get; init; } = TimeSpan.FromSeconds(5);
}

/// <summary>
/// The asynchronous, batched, bounded writer of trace records (RocketMQ's AsyncTraceDispatcher). <see cref="Append"/>
/// never blocks and never throws: a full buffer drops the record and counts it. A background loop encodes records as
/// they arrive into one message of the trace topic whose keys are the traced messages' ids (and keys), so
/// QUERY_MESSAGE by a message id finds its records, and sends it when it is full or its first record is
/// <see cref="TraceDispatcherSettings.MaxBatchAge"/> old. A failed write is logged and counted, never reported to the
/// traced send or consume.
/// </summary>
internal sealed class TraceDispatcher : IAsyncDisposable
{
    private readonly TraceMessageWriter _writer;
    private readonly TraceDispatcherSettings _settings;
    private readonly ILogger _logger;
    private readonly Channel<TraceRecord> _buffer;
    private readonly SemaphoreSlim _writeSlots;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;
    private long _appended;
    private long _dropped;
    private long _written;
    private long _failed;
    private int _disposed;

    public TraceDispatcher(TraceMessageWriter writer, TraceDispatcherSettings settings, ILogger logger)
    {
        _writer = writer;
        _settings = settings;
        _logger = logger;
        _buffer = Channel.CreateBounded<TraceRecord>(new BoundedChannelOptions(settings.BufferCapacity)
        {
            SingleReader = true, FullMode = BoundedChannelFullMode.Wait,
        });
        _writeSlots = new SemaphoreSlim(settings.MaxConcurrentWrites, settings.MaxConcurrentWrites);
        _loop = Task.Run(DrainAsync, CancellationToken.None);
    }

    /// <summary>Counters so far.</summary>
    public TraceStatistics Statistics => new(
        Interlocked.Read(ref _appended), Interlocked.Read(ref _dropped), Interlocked.Read(ref _written), Interlocked.Read(ref _failed));

    /// <summary>Queues a record for writing; false (and counted as dropped) when the buffer is full or closed.</summary>
    public bool Append(TraceRecord record)
    {
        if (_buffer.Writer.TryWrite(record))
        {
            Interlocked.Increment(ref _appended);
            return true;
        }
        long dropped = Interlocked.Increment(ref _dropped);
        TraceMetrics.Dropped.Add(1);
        // The first drop and then every 1000th: a saturated writer must not flood the log as well. After dispose the
        // buffer is closed, not full: such late records are counted only.
        if (dropped % 1000 == 1 && Volatile.Read(ref _disposed) == 0) _logger.TraceRecordsDropped(dropped, _settings.BufferCapacity);
        return false;
    }

    private async Task DrainAsync()
    {
        var reader = _buffer.Reader;
        var pending = new PendingTraceMessage();
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            long firstRecordAt = Environment.TickCount64;
            while (true)
            {
                while (reader.TryRead(out var record))
                {
                    if (pending.Records == 0) firstRecordAt = Environment.TickCount64;
                    pending.Add(record);
                    if (pending.IsFull(_settings)) await StartWriteAsync(pending.Take()).ConfigureAwait(false);
                }
                if (pending.Records == 0) break;
                long waitedMs = Environment.TickCount64 - firstRecordAt;
                long leftMs = (long)_settings.MaxBatchAge.TotalMilliseconds - waitedMs;
                if (leftMs <= 0 || Volatile.Read(ref _disposed) != 0) break;
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(leftMs, _settings.PollInterval.TotalMilliseconds))).ConfigureAwait(false);
            }
            if (pending.Records > 0) await StartWriteAsync(pending.Take()).ConfigureAwait(false);
        }
    }

    private async Task StartWriteAsync(TraceMessageBatch batch)
    {
        await _writeSlots.WaitAsync().ConfigureAwait(false);
        _ = WriteOneAsync(batch.Body, batch.Keys, batch.Records);
    }

    private async Task WriteOneAsync(string body, IReadOnlyCollection<string> keys, int records)
    {
        try
        {
            await _writer(body, keys, _stopping.Token).ConfigureAwait(false);
            Interlocked.Add(ref _written, records);
            TraceMetrics.Written.Add(records);
        }
        catch (Exception ex)
        {
            // Tracing must never fail the traced application: the records are lost, counted and logged.
            Interlocked.Add(ref _failed, records);
            TraceMetrics.Failed.Add(records);
            _logger.TraceWriteFailed(records, ex.Message);
        }
        finally
        {
            _writeSlots.Release();
        }
    }

    /// <summary>Stops accepting records and writes what is buffered, waiting at most FlushTimeout.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _buffer.Writer.TryComplete();
        using var flushed = new CancellationTokenSource(_settings.FlushTimeout);
        try
        {
            await _loop.WaitAsync(flushed.Token).ConfigureAwait(false);
            for (int i = 0; i < _settings.MaxConcurrentWrites; i++) await _writeSlots.WaitAsync(flushed.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _logger.TraceFlushTimedOut(_settings.FlushTimeout);
        }
        await _stopping.CancelAsync().ConfigureAwait(false);
    }
}

/// <summary>Trace records of one producer or consumer: accepted, dropped (buffer full), written, and lost in failed writes.</summary>
public readonly record struct TraceStatistics(long Appended, long Dropped, long Written, long Failed);
