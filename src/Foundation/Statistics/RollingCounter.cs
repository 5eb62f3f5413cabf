namespace RaftMq.Foundation.Statistics;

/// <summary>
/// Events and a summed value (e.g. ms, or requests) over a sliding window: running totals plus samples taken at most every
/// <c>sampleEvery</c> when something is added or read (RocketMQ's StatsItem keeps its minute, hour and day figures the
/// same way). A rate is measured from the newest sample at least a window old (else the oldest) to now, and everything
/// reads 0 once the last event lies a window back. Thread-safe; one small lock per counter.
/// </summary>
public sealed class RollingCounter(TimeSpan window, TimeSpan sampleEvery)
{
    private readonly Lock _lock = new();
    private readonly List<(long At, long Events, double Value)> _samples = [];
    private readonly long _windowMs = (long)window.TotalMilliseconds;
    private readonly long _sampleEveryMs = (long)sampleEvery.TotalMilliseconds;
    private long _events;
    private double _value;
    private long _lastEventMs;

    /// <summary>The last minute, sampled every 10 s.</summary>
    public static RollingCounter LastMinute() => new(TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(10));

    /// <summary>The last hour, sampled every 5 minutes.</summary>
    public static RollingCounter LastHour() => new(TimeSpan.FromHours(1), TimeSpan.FromMinutes(5));

    /// <summary>The last day, sampled every hour.</summary>
    public static RollingCounter LastDay() => new(TimeSpan.FromDays(1), TimeSpan.FromHours(1));

    public void Add(long nowMs, long events, double value)
    {
        lock (_lock)
        {
            Sample(nowMs);
            _events += events;
            _value += value;
            if (events > 0 || value != 0) _lastEventMs = nowMs;
        }
    }

    /// <summary>Events per second in the window (over at least one second, so a first burst is not inflated).</summary>
    public double PerSecond(long nowMs) => Totals(nowMs).EventsPerSecond;

    /// <summary>The summed value per event in the window (the average RT), 0 without events.</summary>
    public double AverageValue(long nowMs)
    {
        var totals = Totals(nowMs);
        return totals.Events == 0 ? 0 : totals.Value / totals.Events;
    }

    public long Events(long nowMs) => Totals(nowMs).Events;

    /// <summary>Events, summed value and the span they were counted over (at least one second), as of <paramref name="nowMs"/>.</summary>
    public RollingTotals Totals(long nowMs)
    {
        lock (_lock)
        {
            Sample(nowMs);
            var baseline = _samples[0];
            double seconds = Math.Max(1.0, (nowMs - baseline.At) / 1000.0);
            if (nowMs - _lastEventMs >= _windowMs) return new RollingTotals(0, 0, seconds);
            return new RollingTotals(_events - baseline.Events, _value - baseline.Value, seconds);
        }
    }

    private void Sample(long nowMs)
    {
        if (_samples.Count == 0 || nowMs - _samples[^1].At >= _sampleEveryMs) _samples.Add((nowMs, _events, _value));
        while (_samples.Count > 1 && nowMs - _samples[1].At >= _windowMs) _samples.RemoveAt(0);
    }
}

/// <summary>What a <see cref="RollingCounter"/> counted in its window: events, their summed value, over how many seconds.</summary>
public readonly record struct RollingTotals(long Events, double Value, double Seconds)
{
    public double EventsPerSecond => Events / Seconds;
}
