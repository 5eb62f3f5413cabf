using System.Collections.Concurrent;
using RaftMq.Protocol.Bodies;

namespace RaftMq.Client.Consumer;

/// <summary>
/// A push consumer's pull and consume rates per topic, as RocketMQ's ConsumerStatsManager reports them in
/// GET_CONSUMER_RUNNING_INFO: pull RT and consume RT in ms (averages), TPS over the last minute, failed messages over the last hour.
/// </summary>
internal sealed class ConsumeStatsRecorder(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, TopicCounters> _topics = new(StringComparer.Ordinal);

    /// <summary>One pull request of <paramref name="topic"/> answered after <paramref name="elapsed"/> with <paramref name="messages"/> messages.</summary>
    public void Pulled(string topic, int messages, TimeSpan elapsed)
    {
        var counters = For(topic);
        long now = Now;
        counters.Pulls.Add(now, 1, elapsed.TotalMilliseconds);
        counters.PulledMessages.Add(now, messages, 0);
    }

    /// <summary>One batch handed to the listener, which took <paramref name="elapsed"/>.</summary>
    public void Consumed(string topic, int messages, bool succeeded, TimeSpan elapsed)
    {
        var counters = For(topic);
        long now = Now;
        counters.Batches.Add(now, 1, elapsed.TotalMilliseconds);
        if (succeeded)
        {
            counters.ConsumedOk.Add(now, messages, 0);
        }
        else
        {
            counters.ConsumedFailed.Add(now, messages, 0);
            counters.FailedInHour.Add(now, messages, 0);
        }
    }

    public ConsumeStatus Status(string topic)
    {
        if (!_topics.TryGetValue(topic, out var counters)) return new ConsumeStatus();
        long now = Now;
        return new ConsumeStatus
        {
            PullRT = counters.Pulls.AverageValue(now),
            PullTPS = counters.PulledMessages.PerSecond(now),
            ConsumeRT = counters.Batches.AverageValue(now),
            ConsumeOKTPS = counters.ConsumedOk.PerSecond(now),
            ConsumeFailedTPS = counters.ConsumedFailed.PerSecond(now),
            ConsumeFailedMsgs = counters.FailedInHour.Events(now),
        };
    }

    private long Now => time.GetUtcNow().ToUnixTimeMilliseconds();

    private TopicCounters For(string topic) => _topics.GetOrAdd(topic, static _ => new TopicCounters());

    private sealed class TopicCounters
    {
        public RollingCounter Pulls { get; } = RollingCounter.LastMinute();

        public RollingCounter PulledMessages { get; } = RollingCounter.LastMinute();

        public RollingCounter Batches { get; } = RollingCounter.LastMinute();

        public RollingCounter ConsumedOk { get; } = RollingCounter.LastMinute();

        public RollingCounter ConsumedFailed { get; } = RollingCounter.LastMinute();

        public RollingCounter FailedInHour { get; } = new(TimeSpan.FromHours(1), TimeSpan.FromMinutes(5));
    }
}

/// <summary>
/// Events and a summed value (e.g. ms) over a sliding window: running totals plus samples taken at most every
/// <c>sampleEvery</c> when something is added or read. A rate is measured from the newest sample at least a window old (else the
/// oldest) to now, and is 0 once the last event lies a window back.
/// </summary>
internal sealed class RollingCounter(TimeSpan window, TimeSpan sampleEvery)
{
    private readonly Lock _lock = new();
    private readonly List<(long At, long Events, double Value)> _samples = [];
    private readonly long _windowMs = (long)window.TotalMilliseconds;
    private readonly long _sampleEveryMs = (long)sampleEvery.TotalMilliseconds;
    private long _events;
    private double _value;
    private long _lastEventMs;

    public static RollingCounter LastMinute() => new(TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(10));

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
    public double PerSecond(long nowMs)
    {
        lock (_lock)
        {
            var (events, _, since) = InWindow(nowMs);
            return events / Math.Max(1.0, (nowMs - since) / 1000.0);
        }
    }

    /// <summary>The summed value per event in the window (the average RT), 0 without events.</summary>
    public double AverageValue(long nowMs)
    {
        lock (_lock)
        {
            var (events, value, _) = InWindow(nowMs);
            return events == 0 ? 0 : value / events;
        }
    }

    public long Events(long nowMs)
    {
        lock (_lock) return InWindow(nowMs).Events;
    }

    private (long Events, double Value, long Since) InWindow(long nowMs)
    {
        Sample(nowMs);
        var baseline = _samples[0];
        if (nowMs - _lastEventMs >= _windowMs) return (0, 0, baseline.At);
        return (_events - baseline.Events, _value - baseline.Value, baseline.At);
    }

    private void Sample(long nowMs)
    {
        if (_samples.Count == 0 || nowMs - _samples[^1].At >= _sampleEveryMs) _samples.Add((nowMs, _events, _value));
        while (_samples.Count > 1 && nowMs - _samples[1].At >= _windowMs) _samples.RemoveAt(0);
    }
}
