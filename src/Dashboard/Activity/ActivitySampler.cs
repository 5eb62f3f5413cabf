using Microsoft.Extensions.Logging;
using RaftMq.Client.Admin;
using RaftMq.Dashboard.Cluster;

namespace RaftMq.Dashboard.Activity;

/// <summary>
/// Every <see cref="DashboardOptions.SampleInterval"/>: one cluster overview (each node's put/get counters), the max
/// offsets of up to <see cref="DashboardOptions.MaxSampledSeries"/> user topics and the committed offsets of as many
/// consumer groups (per group and per topic they consume); rates are the differences between rounds. This is the dashboard's only periodic load on the cluster.
/// </summary>
public sealed class ActivitySampler(ClusterGateway cluster, ActivityHistory history, DashboardOptions options, ILogger logger)
{
    private readonly Dictionary<string, long> _previous = new(StringComparer.Ordinal);
    private DateTimeOffset? _previousAt;

    public async Task RunAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(options.SampleInterval);
        do
        {
            try
            {
                history.Add(await SampleAsync(stopping).ConfigureAwait(false));
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ClusterGateway.IsClusterFailure(ex))
            {
                logger.SampleFailed(ex.Message);
                history.Add(new ActivitySample(DateTimeOffset.UtcNow, Empty<double>(), Empty<double>(), Empty<double>(), Empty<double>(), Empty<long>(), false));
            }
        }
        while (await Tick(timer, stopping).ConfigureAwait(false));
    }

    /// <summary>One round; internal so tests can drive it without waiting for the timer.</summary>
    internal async Task<ActivitySample> SampleAsync(CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        var counters = new Dictionary<string, long>(StringComparer.Ordinal);
        var nodes = await cluster.GetNodesAsync(cancellationToken).ConfigureAwait(false);
        foreach (var node in nodes)
        {
            if (node.RuntimeInfo is not { } info) continue;
            // A restarted node counts from zero again: key its counters by boot time so no negative rate appears.
            string boot = info.GetValueOrDefault("bootTimestamp", "");
            counters[$"put|{node.BrokerName}|{node.Address}|{boot}"] = Number(info, "msgPutTotalSinceBoot");
            counters[$"get|{node.BrokerName}|{node.Address}|{boot}"] = Number(info, "msgGetTotalSinceBoot");
        }
        var catalog = await TopicCatalog.LoadAsync(cluster, cancellationToken).ConfigureAwait(false);
        foreach (string topic in catalog.Of(TopicKind.Normal).Take(options.MaxSampledSeries))
        {
            var queues = await TryAsync(() => cluster.Admin.GetTopicQueueStatusAsync(topic, cancellationToken)).ConfigureAwait(false);
            if (queues is not null) counters[$"topic|{topic}"] = queues.Sum(q => q.MaxOffset);
        }
        var lag = new Dictionary<string, long>(StringComparer.Ordinal);
        var normalTopics = catalog.Of(TopicKind.Normal).ToHashSet(StringComparer.Ordinal);
        foreach (string group in catalog.ConsumerGroups().Take(options.MaxSampledSeries))
        {
            var progress = await TryAsync(() => cluster.Admin.GetConsumeStatsAsync(group, cancellationToken: cancellationToken)).ConfigureAwait(false);
            if (progress is null) continue;
            // Retry topics are part of every group's progress; their offsets count as consumption like any other.
            counters[$"consumer|{group}"] = progress.Sum(q => Math.Max(0, q.ConsumerOffset));
            lag[group] = progress.Sum(q => q.Lag);
            // Per topic as well (normal topics only), keyed by group too so a group appearing or leaving makes no jump.
            foreach (var topic in progress.Where(q => normalTopics.Contains(q.Queue.Topic)).GroupBy(q => q.Queue.Topic, StringComparer.Ordinal))
            {
                counters[$"topicget|{topic.Key}|{group}"] = topic.Sum(q => Math.Max(0, q.ConsumerOffset));
            }
        }
        var sample = Rates(now, counters, lag);
        _previous.Clear();
        foreach (var (key, value) in counters) _previous[key] = value;
        _previousAt = now;
        return sample;
    }

    private ActivitySample Rates(DateTimeOffset now, Dictionary<string, long> counters, Dictionary<string, long> lag)
    {
        var groupPut = new SortedDictionary<string, double>(StringComparer.Ordinal);
        var groupGet = new SortedDictionary<string, double>(StringComparer.Ordinal);
        var topics = new SortedDictionary<string, double>(StringComparer.Ordinal);
        var consumers = new SortedDictionary<string, double>(StringComparer.Ordinal);
        var topicGets = new SortedDictionary<string, double>(StringComparer.Ordinal);
        double seconds = _previousAt is { } before ? Math.Max(0.001, (now - before).TotalSeconds) : 0;
        foreach (var (key, value) in counters)
        {
            string[] parts = key.Split('|');
            var target = parts[0] switch { "put" => groupPut, "get" => groupGet, "topic" => topics, "topicget" => topicGets, _ => consumers };
            target.TryAdd(parts[1], 0);
            if (seconds == 0 || !_previous.TryGetValue(key, out long old)) continue;
            target[parts[1]] += Math.Max(0, value - old) / seconds;
        }
        return new ActivitySample(now, groupPut, groupGet, topics, consumers, lag, true) { TopicGetTps = topicGets };
    }

    private async Task<T?> TryAsync<T>(Func<Task<T>> read)
        where T : class
    {
        try
        {
            return await read().ConfigureAwait(false);
        }
        catch (Exception ex) when (ClusterGateway.IsClusterFailure(ex))
        {
            logger.SampleFailed(ex.Message);
            return null;
        }
    }

    private static long Number(IReadOnlyDictionary<string, string> info, string key) =>
        long.TryParse(info.GetValueOrDefault(key), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out long value) ? value : 0;

    private static async Task<bool> Tick(PeriodicTimer timer, CancellationToken stopping)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static Dictionary<string, T> Empty<T>() => new(StringComparer.Ordinal);
}
