namespace RaftMq.Broker.Processors;

/// <summary>
/// Counters since start for GET_BROKER_RUNTIME_INFO (lock-free increments), and the broker's meter. As RocketMQ's
/// BrokerStats, the counters are also recorded at every local midnight (<see cref="StartDailyRecord"/>): the
/// totals at this morning's and yesterday morning's midnight give "today" and "yesterday" (msgPutTotalTodayMorning and
/// its kin). Like the since-boot totals they are this node's observation, not replicated state: a restart starts at 0.
/// </summary>
public sealed class BrokerStats : IDisposable
{
    private readonly TimeProvider _time;
    private readonly Lock _recordGate = new();
    private long _messagesPut;
    private long _messagesPulled;
    private DailyTotals _daily;
    private ITimer? _midnight;

    public BrokerStats(TimeProvider time, BrokerMetrics metrics)
    {
        _time = time;
        BootTimestamp = time.GetUtcNow();
        Metrics = metrics;
        Items = new BrokerStatsItems(time);
    }

    public BrokerMetrics Metrics { get; }

    /// <summary>Per-topic and per-group figures over the last minute, hour and day (VIEW_BROKER_STATS_DATA).</summary>
    public BrokerStatsItems Items { get; }

    public DateTimeOffset BootTimestamp { get; }

    public long MessagesPut => Interlocked.Read(ref _messagesPut);

    public long MessagesPulled => Interlocked.Read(ref _messagesPulled);

    /// <summary>The totals recorded at the last two local midnights (0 for a midnight before this node started).</summary>
    public DailyTotals Daily
    {
        get
        {
            lock (_recordGate) return _daily;
        }
    }

    public void AddPut(string topic, int count, long bytes, long startedTimestamp)
    {
        Interlocked.Add(ref _messagesPut, count);
        Metrics.Put(topic, count, bytes, startedTimestamp);
        Items.Put(topic, count, bytes);
    }

    public void AddPulled(string topic, string group, int count, long bytes)
    {
        Interlocked.Add(ref _messagesPulled, count);
        Metrics.Got(topic, count, bytes);
        Items.Got(topic, group, count, bytes);
    }

    /// <summary>Records the totals at every coming local midnight.</summary>
    public void StartDailyRecord()
    {
        lock (_recordGate)
        {
            if (_midnight is not null) return;
            _midnight = _time.CreateTimer(_ => RecordMidnight(), null, UntilNextMidnight(), Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>This morning's totals become yesterday morning's and the current totals this morning's (RocketMQ's BrokerStats.record).</summary>
    public void RecordMidnight()
    {
        lock (_recordGate)
        {
            _daily = new DailyTotals(_daily.PutTodayMorning, MessagesPut, _daily.GetTodayMorning, MessagesPulled);
            _midnight?.Change(UntilNextMidnight(), Timeout.InfiniteTimeSpan);
        }
    }

    public void Dispose()
    {
        lock (_recordGate)
        {
            _midnight?.Dispose();
            _midnight = null;
        }
        Metrics.Dispose();
    }

    private TimeSpan UntilNextMidnight()
    {
        var zone = _time.LocalTimeZone;
        var now = TimeZoneInfo.ConvertTime(_time.GetUtcNow(), zone);
        var midnight = new DateTimeOffset(now.Date.AddDays(1), zone.GetUtcOffset(now.Date.AddDays(1)));
        var wait = midnight - now;
        // A clock change can make the computed midnight odd; never spin, never sleep past a day.
        return wait < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : wait > TimeSpan.FromDays(1) ? TimeSpan.FromDays(1) : wait;
    }
}

/// <summary>Put and get totals since boot as recorded at the last two local midnights.</summary>
public readonly record struct DailyTotals(long PutYesterdayMorning, long PutTodayMorning, long GetYesterdayMorning, long GetTodayMorning);
