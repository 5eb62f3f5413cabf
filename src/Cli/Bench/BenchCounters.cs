namespace RaftMq.Cli.Bench;

/// <summary>Totals of a load run plus a per-interval window for the once-a-second lines.</summary>
public sealed class BenchCounters
{
    private long _succeeded;
    private long _failed;
    private long _windowCount;
    private long _windowMicros;
    private long _windowMaxMicros;
    private string? _firstFailure;

    public LatencyHistogram Latency { get; } = new();

    public long Succeeded => Interlocked.Read(ref _succeeded);

    public long Failed => Interlocked.Read(ref _failed);

    public void RecordSuccess(TimeSpan latency)
    {
        Interlocked.Increment(ref _succeeded);
        Latency.Record(latency);
        long micros = (long)latency.TotalMicroseconds;
        Interlocked.Increment(ref _windowCount);
        Interlocked.Add(ref _windowMicros, micros);
        long max = Interlocked.Read(ref _windowMaxMicros);
        while (micros > max)
        {
            long seen = Interlocked.CompareExchange(ref _windowMaxMicros, micros, max);
            if (seen == max) break;
            max = seen;
        }
    }

    /// <summary>The first failure's message, so that a run that fails throughout says why.</summary>
    public string? FirstFailure => Volatile.Read(ref _firstFailure);

    public void RecordFailure(string reason)
    {
        Interlocked.Increment(ref _failed);
        Interlocked.CompareExchange(ref _firstFailure, reason, null);
    }

    /// <summary>Count, mean and max latency since the previous call (approximate under concurrent updates).</summary>
    public (long Count, TimeSpan Mean, TimeSpan Max) TakeWindow()
    {
        long count = Interlocked.Exchange(ref _windowCount, 0);
        long micros = Interlocked.Exchange(ref _windowMicros, 0);
        long max = Interlocked.Exchange(ref _windowMaxMicros, 0);
        var mean = count == 0 ? TimeSpan.Zero : TimeSpan.FromMicroseconds((double)micros / count);
        return (count, mean, TimeSpan.FromMicroseconds(max));
    }
}
