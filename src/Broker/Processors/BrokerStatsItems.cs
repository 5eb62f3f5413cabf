using System.Collections.Concurrent;
using RaftMq.Foundation.Statistics;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Headers;

namespace RaftMq.Broker.Processors;

/// <summary>
/// RocketMQ's BrokerStatsManager items that VIEW_BROKER_STATS_DATA (315) serves: messages and bytes put per topic
/// (TOPIC_PUT_NUMS / TOPIC_PUT_SIZE, key topic) and got per topic and consumer group (GROUP_GET_NUMS / GROUP_GET_SIZE,
/// key <c>topic@group</c>), each over the last minute, hour and day. Runtime statistics of this node (metrics, not
/// replicated state): a restart or another node starts from nothing. One entry per key, created on first use.
/// </summary>
public sealed class BrokerStatsItems(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, StatsItemPair> _puts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Topic, string Group), StatsItemPair> _gets = new();

    /// <summary>One send request stored <paramref name="messages"/> messages of <paramref name="bytes"/> bytes.</summary>
    public void Put(string topic, int messages, long bytes) =>
        _puts.GetOrAdd(topic, static _ => new StatsItemPair()).Add(Now, messages, bytes);

    /// <summary>One pull of <paramref name="group"/> returned <paramref name="messages"/> messages of <paramref name="bytes"/> bytes.</summary>
    public void Got(string topic, string group, int messages, long bytes) =>
        _gets.GetOrAdd((topic, group), static _ => new StatsItemPair()).Add(Now, messages, bytes);

    /// <summary>Forgets a deleted topic's items (RocketMQ's autoDeleteUnusedStats).</summary>
    public void RemoveTopic(string topic)
    {
        _puts.TryRemove(topic, out _);
        foreach (var key in _gets.Keys)
        {
            if (key.Topic == topic) _gets.TryRemove(key, out _);
        }
    }

    /// <summary>The statistic <paramref name="statsName"/> of <paramref name="statsKey"/>; null when this node never counted
    /// that key. <paramref name="statsName"/> must be one of <see cref="BrokerStatsNames.All"/>.</summary>
    public BrokerStatsData? Find(string statsName, string statsKey)
    {
        StatsItemPair? pair = null;
        switch (statsName)
        {
            case BrokerStatsNames.TopicPutNums or BrokerStatsNames.TopicPutSize:
                _puts.TryGetValue(statsKey, out pair);
                break;
            case BrokerStatsNames.GroupGetNums or BrokerStatsNames.GroupGetSize:
                int at = statsKey.IndexOf('@', StringComparison.Ordinal);
                if (at > 0) _gets.TryGetValue((statsKey[..at], statsKey[(at + 1)..]), out pair);
                break;
            default:
                throw new ArgumentException($"statsName {statsName} is not one of {string.Join(", ", BrokerStatsNames.All)}", nameof(statsName));
        }
        if (pair is null) return null;
        var item = statsName is BrokerStatsNames.TopicPutNums or BrokerStatsNames.GroupGetNums ? pair.Messages : pair.Bytes;
        return item.Snapshot(Now);
    }

    private long Now => time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Messages and bytes of one key.</summary>
    private sealed class StatsItemPair
    {
        public StatsItem Messages { get; } = new();

        public StatsItem Bytes { get; } = new();

        public void Add(long nowMs, int messages, long bytes)
        {
            Messages.Add(nowMs, messages);
            Bytes.Add(nowMs, bytes);
        }
    }

    /// <summary>One counted quantity in three windows; each request adds its amount as events and 1 as value, so that
    /// sum = events, tps = events per second and avgpt = events per request.</summary>
    private sealed class StatsItem
    {
        private readonly RollingCounter _minute = RollingCounter.LastMinute();
        private readonly RollingCounter _hour = RollingCounter.LastHour();
        private readonly RollingCounter _day = RollingCounter.LastDay();

        public void Add(long nowMs, long amount)
        {
            _minute.Add(nowMs, amount, 1);
            _hour.Add(nowMs, amount, 1);
            _day.Add(nowMs, amount, 1);
        }

        public BrokerStatsData Snapshot(long nowMs) => new()
        {
            StatsMinute = Item(_minute.Totals(nowMs)),
            StatsHour = Item(_hour.Totals(nowMs)),
            StatsDay = Item(_day.Totals(nowMs)),
        };

        private static BrokerStatsItem Item(RollingTotals totals) => new()
        {
            Sum = totals.Events,
            Tps = totals.EventsPerSecond,
            Avgpt = totals.Value == 0 ? 0 : totals.Events / totals.Value,
        };
    }
}
