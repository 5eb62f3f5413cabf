using RaftMq.Client.Instance;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Headers;
using RaftMq.Protocol.Messages;

namespace RaftMq.Client.Admin;

/// <summary>Who consumes a topic and how much traffic it sees (statsAll), and dropping what deleted topics left on the
/// brokers (cleanUnusedTopic).</summary>
public sealed partial class MQAdminClient
{
    /// <summary>CLEAN_UNUSED_TOPIC (316) on one broker node (a group's master: the clean-up goes through its log to every
    /// replica): the topics whose ConsumeQueues and consumer offsets were dropped and how many queues.</summary>
    public async Task<CleanUnusedTopicResult> CleanUnusedTopicAsync(string brokerAddress, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(brokerAddress);
        var response = await Instance.InvokeCheckedAsync(brokerAddress, BrokerApi.Request(RequestCode.CleanUnusedTopic), cancellationToken)
            .ConfigureAwait(false);
        return response.Body.IsEmpty ? new CleanUnusedTopicResult() : ProtocolJson.Decode<CleanUnusedTopicResult>(response.Body.Span);
    }

    /// <summary>CLEAN_UNUSED_TOPIC on the master of every group of <paramref name="clusterName"/> (every cluster when
    /// null), in cluster and group order.</summary>
    public async Task<IReadOnlyList<BrokerCleanResult>> CleanUnusedTopicInClusterAsync(string? clusterName, CancellationToken cancellationToken = default)
    {
        var clusters = clusterName is null ? (await GetClusterGroupsAsync(cancellationToken).ConfigureAwait(false)).Keys : [clusterName];
        var results = new List<BrokerCleanResult>();
        foreach (string cluster in clusters)
        {
            foreach (var (brokerName, address) in await ClusterMastersAsync(cluster, cancellationToken).ConfigureAwait(false))
            {
                var cleaned = await CleanUnusedTopicAsync(address, cancellationToken).ConfigureAwait(false);
                results.Add(new BrokerCleanResult(cluster, brokerName, address, cleaned.Topics, cleaned.Queues));
            }
        }
        return results;
    }

    /// <summary>QUERY_TOPIC_CONSUME_BY_WHO (300) at the master of every group of the topic's route, merged: the groups
    /// with an online subscriber or a committed offset of the topic, sorted.</summary>
    public async Task<IReadOnlyList<string>> QueryTopicConsumeByWhoAsync(string topic, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        var groups = new SortedSet<string>(StringComparer.Ordinal);
        foreach (string address in await RouteMastersAsync(topic, cancellationToken).ConfigureAwait(false))
        {
            var request = BrokerApi.Request(RequestCode.QueryTopicConsumeByWho);
            request.ExtFields.Set("topic", topic);
            var response = await Instance.InvokeCheckedAsync(address, request, cancellationToken).ConfigureAwait(false);
            groups.UnionWith(ProtocolJson.Decode<GroupList>(response.Body.Span).Groups);
        }
        return [.. groups];
    }

    /// <summary>VIEW_BROKER_STATS_DATA (315): one runtime statistic of a broker node (<see cref="BrokerStatsNames"/>) over
    /// the last minute, hour and day; a key the node never counted throws <see cref="MQBrokerException"/> (SYSTEM_ERROR).</summary>
    public async Task<BrokerStatsData> ViewBrokerStatsDataAsync(string brokerAddress, string statsName, string statsKey,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(brokerAddress);
        var request = BrokerApi.Request(RequestCode.ViewBrokerStatsData);
        new ViewBrokerStatsDataRequestHeader { StatsName = statsName, StatsKey = statsKey }.ToExtFields(request.ExtFields);
        var response = await Instance.InvokeCheckedAsync(brokerAddress, request, cancellationToken).ConfigureAwait(false);
        return ProtocolJson.Decode<BrokerStatsData>(response.Body.Span);
    }

    /// <summary>
    /// mqadmin statsAll's figures: for every topic (retry and DLQ topics left out; only <paramref name="topic"/> when given)
    /// and each group consuming it, the backlog and the put/get rates and 24-hour counts summed over the masters of the
    /// topic's groups (TOPIC_PUT_NUMS, GROUP_GET_NUMS); a topic nobody consumes gives one row without a group. As mqadmin,
    /// a statistic a master cannot give counts 0; <paramref name="activeOnly"/> keeps rows with traffic in the last 24 hours.
    /// </summary>
    public async Task<IReadOnlyList<TopicTraffic>> GetStatsAllAsync(string? topic, bool activeOnly, CancellationToken cancellationToken = default)
    {
        var rows = new List<TopicTraffic>();
        foreach (string name in await GetTopicListAsync(cancellationToken).ConfigureAwait(false))
        {
            if (SystemNames.IsRetryTopic(name) || SystemNames.IsDlqTopic(name)) continue;
            if (!string.IsNullOrEmpty(topic) && name != topic) continue;
            rows.AddRange(await TopicTrafficAsync(name, activeOnly, cancellationToken).ConfigureAwait(false));
        }
        return rows;
    }

    private async Task<IReadOnlyList<TopicTraffic>> TopicTrafficAsync(string topic, bool activeOnly, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> masters;
        IReadOnlyList<string> groups;
        try
        {
            masters = await RouteMastersAsync(topic, cancellationToken).ConfigureAwait(false);
            groups = await QueryTopicConsumeByWhoAsync(topic, cancellationToken).ConfigureAwait(false);
        }
        catch (MQException)
        {
            return []; // as mqadmin: a topic without a route (deleted meanwhile) prints nothing
        }
        var (inTps, inDay) = await SumStatsAsync(masters, BrokerStatsNames.TopicPutNums, topic, cancellationToken).ConfigureAwait(false);
        var rows = new List<TopicTraffic>();
        if (groups.Count == 0)
        {
            if (!activeOnly || inDay > 0) rows.Add(new TopicTraffic(topic, null, 0, inTps, 0, inDay, 0));
            return rows;
        }
        foreach (string group in groups)
        {
            var (outTps, outDay) = await SumStatsAsync(masters, BrokerStatsNames.GroupGetNums, BrokerStatsNames.GroupKey(topic, group), cancellationToken)
                .ConfigureAwait(false);
            long backlog = await BacklogAsync(group, topic, cancellationToken).ConfigureAwait(false);
            if (!activeOnly || inDay > 0 || outDay > 0) rows.Add(new TopicTraffic(topic, group, backlog, inTps, outTps, inDay, outDay));
        }
        return rows;
    }

    /// <summary>The minute TPS and the 24-hour count summed over <paramref name="masters"/> (mqadmin's compute24HourSum: the
    /// day's sum, else the hour's, else the minute's).</summary>
    private async Task<(double Tps, long Day)> SumStatsAsync(IReadOnlyList<string> masters, string statsName, string statsKey, CancellationToken cancellationToken)
    {
        double tps = 0;
        long day = 0;
        foreach (string address in masters)
        {
            try
            {
                var data = await ViewBrokerStatsDataAsync(address, statsName, statsKey, cancellationToken).ConfigureAwait(false);
                tps += data.StatsMinute.Tps;
                day += data.StatsDay.Sum != 0 ? data.StatsDay.Sum : data.StatsHour.Sum != 0 ? data.StatsHour.Sum : data.StatsMinute.Sum;
            }
            catch (MQException)
            {
                // a master that never counted the key (no traffic since it started or became leader) adds nothing
            }
        }
        return (tps, day);
    }

    private async Task<long> BacklogAsync(string group, string topic, CancellationToken cancellationToken)
    {
        try
        {
            long backlog = (await GetConsumeStatsAsync(group, topic, cancellationToken).ConfigureAwait(false)).Sum(queue => queue.Lag);
            return Math.Max(0, backlog);
        }
        catch (MQException)
        {
            return 0;
        }
    }

    /// <summary>The master address of every group in the topic's route, in group order.</summary>
    private async Task<IReadOnlyList<string>> RouteMastersAsync(string topic, CancellationToken cancellationToken)
    {
        var route = await FindTopicRouteAsync(topic, cancellationToken).ConfigureAwait(false)
            ?? throw new MQClientException(ResponseCode.TopicNotExist, $"Topic {topic} does not exist.");
        return [.. route.BrokerDatas.OrderBy(b => b.BrokerName, StringComparer.Ordinal).Select(b => b.MasterAddress()).OfType<string>()];
    }
}

/// <summary>What CLEAN_UNUSED_TOPIC dropped on one group's master (and, through its log, on every replica).</summary>
public sealed record BrokerCleanResult(string ClusterName, string BrokerName, string Address, IReadOnlyList<string> Topics, int Queues);

/// <summary>One statsAll row: a topic and a group consuming it (null: nobody does), the group's backlog, put and get TPS over
/// the last minute and messages put and got in the last 24 hours.</summary>
public sealed record TopicTraffic(string Topic, string? Group, long Accumulation, double InTps, double OutTps, long InMsg24Hour, long OutMsg24Hour);
