namespace RaftMq.Broker.Processors;

/// <summary>
/// The broker settings an operator may change while the node runs (updateBrokerConfig, code 25). Each is read per request
/// and only steers how this node serves (nothing it decides is written to the log), so replicas may differ without
/// diverging: long polling's cap of a parked pull's wait and the most pulls parked at once. Thread-safe.
/// </summary>
public sealed class RuntimeSettings
{
    private long _longPollingMaxSuspendTicks;
    private int _longPollingMaxParked;

    public RuntimeSettings(TimeSpan longPollingMaxSuspend, int longPollingMaxParked)
    {
        LongPollingMaxSuspend = longPollingMaxSuspend;
        LongPollingMaxParked = longPollingMaxParked;
    }

    /// <summary>Longest a pull with nothing to return is parked (<c>longPollingMaxSuspendMs</c>).</summary>
    public TimeSpan LongPollingMaxSuspend
    {
        get => TimeSpan.FromTicks(Volatile.Read(ref _longPollingMaxSuspendTicks));
        set => Volatile.Write(ref _longPollingMaxSuspendTicks, value.Ticks);
    }

    /// <summary>Most pulls parked at once (<c>longPollingMaxParked</c>); beyond it a pull is answered at once.</summary>
    public int LongPollingMaxParked
    {
        get => Volatile.Read(ref _longPollingMaxParked);
        set => Volatile.Write(ref _longPollingMaxParked, value);
    }
}
