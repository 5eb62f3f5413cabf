using System.Diagnostics.Metrics;

namespace RaftMq.Broker.Store;

/// <summary>Meter "RaftMq.Broker.Store": messages dispatched, dispatch lag (store time to dispatch), applied index, and the
/// key index behind QUERY_MESSAGE (files, entries, query time).</summary>
internal sealed class StoreMetrics : IDisposable
{
    public const string MeterName = "RaftMq.Broker.Store";

    private readonly Meter _meter;
    private readonly Counter<long> _messagesApplied;
    private readonly Histogram<double> _dispatchLag;
    private readonly Histogram<double> _keyQueryDuration;

    public StoreMetrics(Func<long> appliedIndex, Func<int> keyIndexFiles, Func<long> keyIndexEntries)
    {
        _meter = new Meter(MeterName);
        _messagesApplied = _meter.CreateCounter<long>("raftmq.store.messages_applied", "{message}", "Messages dispatched to ConsumeQueues");
        _dispatchLag = _meter.CreateHistogram<double>("raftmq.store.dispatch_lag", "ms",
            "Time from the leader's store timestamp to dispatch on this replica");
        _meter.CreateObservableGauge("raftmq.store.applied_index", appliedIndex, "{entry}", "Last log index applied by the store");
        _meter.CreateObservableGauge("raftmq.store.key_index.files", keyIndexFiles, "{file}", "Key index files on disk (sealed ones plus the active one)");
        _meter.CreateObservableGauge("raftmq.store.key_index.entries", keyIndexEntries, "{entry}", "Entries in all key index files");
        _keyQueryDuration = _meter.CreateHistogram<double>("raftmq.store.key_index.query_duration", "ms",
            "Time to answer a key or producer-id query (QUERY_MESSAGE) from the key index, messages read back included");
    }

    public void KeyQueryDone(TimeSpan elapsed) => _keyQueryDuration.Record(elapsed.TotalMilliseconds);

    public void MessageApplied(double lagMs)
    {
        _messagesApplied.Add(1);
        _dispatchLag.Record(Math.Max(0, lagMs));
    }

    public void Dispose() => _meter.Dispose();
}
