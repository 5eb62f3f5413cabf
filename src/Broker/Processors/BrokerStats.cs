namespace RaftMq.Broker.Processors;

/// <summary>Counters since start for GET_BROKER_RUNTIME_INFO (lock-free increments), and the broker's meter.</summary>
public sealed class BrokerStats
{
    private long _messagesPut;
    private long _messagesPulled;

    public BrokerStats(TimeProvider time, BrokerMetrics metrics)
    {
        BootTimestamp = time.GetUtcNow();
        Metrics = metrics;
    }

    public BrokerMetrics Metrics { get; }

    public DateTimeOffset BootTimestamp { get; }

    public long MessagesPut => Interlocked.Read(ref _messagesPut);

    public long MessagesPulled => Interlocked.Read(ref _messagesPulled);

    public void AddPut(string topic, int count, long bytes, long startedTimestamp)
    {
        Interlocked.Add(ref _messagesPut, count);
        Metrics.Put(topic, count, bytes, startedTimestamp);
    }

    public void AddPulled(string topic, int count, long bytes)
    {
        Interlocked.Add(ref _messagesPulled, count);
        Metrics.Got(topic, count, bytes);
    }
}
