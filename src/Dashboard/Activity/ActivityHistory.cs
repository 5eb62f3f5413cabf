namespace RaftMq.Dashboard.Activity;

/// <summary>
/// Rates over the last <see cref="DashboardOptions.History"/>, one point per sample: per broker group (put and get), per
/// topic (put, and consumed by all its groups) and per consumer group (consumed), plus each group's current lag. Thread-safe; readers get copies.
/// </summary>
public sealed class ActivityHistory(int capacity)
{
    private readonly Lock _gate = new();
    private readonly Queue<ActivitySample> _samples = new();

    public void Add(ActivitySample sample)
    {
        lock (_gate)
        {
            _samples.Enqueue(sample);
            while (_samples.Count > capacity) _samples.Dequeue();
        }
    }

    public IReadOnlyList<ActivitySample> Snapshot()
    {
        lock (_gate) return [.. _samples];
    }

    public ActivitySample? Latest()
    {
        lock (_gate) return _samples.Count == 0 ? null : _samples.Last();
    }
}

/// <summary>One sampling round. Rates are messages per second since the previous round; a series missing from a round was not
/// readable then (its broker down, or past the sampled-series cap).</summary>
public sealed record ActivitySample(
    DateTimeOffset At,
    IReadOnlyDictionary<string, double> GroupPutTps,
    IReadOnlyDictionary<string, double> GroupGetTps,
    IReadOnlyDictionary<string, double> TopicPutTps,
    IReadOnlyDictionary<string, double> ConsumerTps,
    IReadOnlyDictionary<string, long> ConsumerLag,
    bool ClusterReachable)
{
    /// <summary>Messages per second consumed from each normal topic, all its consumer groups together (committed offsets).</summary>
    public IReadOnlyDictionary<string, double> TopicGetTps { get; init; } = new Dictionary<string, double>(StringComparer.Ordinal);
}
