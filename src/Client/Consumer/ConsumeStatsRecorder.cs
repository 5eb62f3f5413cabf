using System.Collections.Concurrent;
using RaftMq.Foundation.Statistics;
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
