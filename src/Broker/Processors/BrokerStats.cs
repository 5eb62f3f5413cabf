namespace RaftMq.Broker.Processors;

/// <summary>Counters since start for GET_BROKER_RUNTIME_INFO (lock-free increments).</summary>
public sealed class BrokerStats
{
    private long _messagesPut;
    private long _messagesPulled;

    public BrokerStats(TimeProvider time) => BootTimestamp = time.GetUtcNow();

    public DateTimeOffset BootTimestamp { get; }

    public long MessagesPut => Interlocked.Read(ref _messagesPut);

    public long MessagesPulled => Interlocked.Read(ref _messagesPulled);

    public void AddPut(int count) => Interlocked.Add(ref _messagesPut, count);

    public void AddPulled(int count) => Interlocked.Add(ref _messagesPulled, count);
}
