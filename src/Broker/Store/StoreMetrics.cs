using System.Diagnostics.Metrics;

namespace RaftMq.Broker.Store;

/// <summary>Meter "RaftMq.Broker.Store": messages dispatched, dispatch lag (store time to dispatch), applied index.</summary>
internal sealed class StoreMetrics : IDisposable
{
    public const string MeterName = "RaftMq.Broker.Store";

    private readonly Meter _meter;
    private readonly Counter<long> _messagesApplied;
    private readonly Histogram<double> _dispatchLag;

    public StoreMetrics(Func<long> appliedIndex)
    {
        _meter = new Meter(MeterName);
        _messagesApplied = _meter.CreateCounter<long>("raftmq.store.messages_applied", "{message}", "Messages dispatched to ConsumeQueues");
        _dispatchLag = _meter.CreateHistogram<double>("raftmq.store.dispatch_lag", "ms",
            "Time from the leader's store timestamp to dispatch on this replica");
        _meter.CreateObservableGauge("raftmq.store.applied_index", appliedIndex, "{entry}", "Last log index applied by the store");
    }

    public void MessageApplied(double lagMs)
    {
        _messagesApplied.Add(1);
        _dispatchLag.Record(Math.Max(0, lagMs));
    }

    public void Dispose() => _meter.Dispose();
}
