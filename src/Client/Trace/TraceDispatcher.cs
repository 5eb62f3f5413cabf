using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace RaftMq.Client.Trace;

/// <summary>Writes one trace message: its body (records back to back) and the keys it is indexed by.</summary>
internal delegate Task TraceMessageWriter(string body, IReadOnlyCollection<string> keys, CancellationToken cancellationToken);

/// <summary>Sizes of a <see cref="TraceDispatcher"/>; the defaults are the Java client's AsyncTraceDispatcher's.</summary>
internal sealed record TraceDispatcherSettings
{
    /// <summary>Records waiting to be written; when full, new records are dropped and counted (Java: 1024).</summary>
    public int BufferCapacity { get; init; } = 1024;

    /// <summary>Records per trace message at most (Java's batchSize, 100).</summary>
    public int MaxRecordsPerMessage { get; init; } = 100;

    /// <summary>A trace message is cut once its body reaches this many characters (Java: 128000 - 10000).</summary>
    public int MaxBodyChars { get; init; } = 118_000;

    /// <summary>Trace messages being sent at once.</summary>
    public int MaxConcurrentWrites { get; init; } = 4;

    /// <summary>How long a batch that is not full yet waits for more records before it is written.</summary>
    public TimeSpan Linger { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>At dispose: the most to wait for buffered records to be written.</summary>
    public TimeSpan FlushTimeout { get; init; } = TimeSpan.FromSeconds(5);
}

/// <summary>
/// The asynchronous, batched, bounded writer of trace records (RocketMQ's AsyncTraceDispatcher). <see cref="Append"/>
/// never blocks and never throws: a full buffer drops the record and counts it. A background loop packs up to
/// <see cref="TraceDispatcherSettings.MaxRecordsPerMessage"/> records into one message of the trace topic whose keys
/// are the traced messages' ids (and keys), so QUERY_MESSAGE by a message id finds its records. A failed write is
/// logged and counted, never reported to the traced send or consume.
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
        var batch = new List<TraceRecord>(_settings.MaxRecordsPerMessage);
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            Fill(reader, batch);
            if (batch.Count < _settings.MaxRecordsPerMessage && _settings.Linger > TimeSpan.Zero && !_stopping.IsCancellationRequested)
            {
                await Task.Delay(_settings.Linger).ConfigureAwait(false);
                Fill(reader, batch);
            }
            await WriteAsync(batch).ConfigureAwait(false);
            batch.Clear();
        }
    }

    private void Fill(ChannelReader<TraceRecord> reader, List<TraceRecord> batch)
    {
        while (batch.Count < _settings.MaxRecordsPerMessage && reader.TryRead(out var record)) batch.Add(record);
    }

    /// <summary>Packs the batch into messages no longer than MaxBodyChars and starts writing each.</summary>
    private async Task WriteAsync(List<TraceRecord> batch)
    {
        var body = new StringBuilder(1024);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        int records = 0;
        foreach (var record in batch)
        {
            TraceDataCodec.Append(body, record);
            records++;
            if (!string.IsNullOrEmpty(record.MsgId)) keys.Add(record.MsgId);
            if (!string.IsNullOrEmpty(record.Keys)) keys.Add(record.Keys);
            if (body.Length < _settings.MaxBodyChars) continue;
            await StartWriteAsync(body.ToString(), keys, records).ConfigureAwait(false);
            body.Clear();
            keys = new HashSet<string>(StringComparer.Ordinal);
            records = 0;
        }
        if (records > 0) await StartWriteAsync(body.ToString(), keys, records).ConfigureAwait(false);
    }

    private async Task StartWriteAsync(string body, HashSet<string> keys, int records)
    {
        await _writeSlots.WaitAsync().ConfigureAwait(false);
        _ = WriteOneAsync(body, keys, records);
    }

    private async Task WriteOneAsync(string body, HashSet<string> keys, int records)
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
