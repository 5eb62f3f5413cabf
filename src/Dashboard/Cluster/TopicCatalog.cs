using RaftMq.Client.Admin;

namespace RaftMq.Dashboard.Cluster;

/// <summary>Topics the name servers know, each with its kind; consumer groups are the owners of the retry topics (created
/// by the brokers on a group's first heartbeat), plus any group named by a DLQ topic.</summary>
public sealed record TopicCatalog(IReadOnlyList<(string Topic, TopicKind Kind)> Topics)
{
    public static async Task<TopicCatalog> LoadAsync(ClusterGateway cluster, CancellationToken cancellationToken)
    {
        var nodes = await cluster.GetNodesAsync(cancellationToken).ConfigureAwait(false);
        var names = new HashSet<string>(nodes.Select(n => n.ClusterName).Concat(nodes.Select(n => n.BrokerName)), StringComparer.Ordinal);
        var topics = await cluster.Admin.GetTopicListAsync(cancellationToken).ConfigureAwait(false);
        return new TopicCatalog([.. topics.Order(StringComparer.Ordinal).Select(t => (t, TopicKinds.Of(t, names)))]);
    }

    public IEnumerable<string> Of(TopicKind kind) => Topics.Where(t => t.Kind == kind).Select(t => t.Topic);

    /// <summary>Consumer groups, without the dashboard's own query group.</summary>
    public IReadOnlyList<string> ConsumerGroups() =>
        [.. Topics.Where(t => t.Kind is TopicKind.Retry or TopicKind.Dlq).Select(t => TopicKinds.GroupOf(t.Topic)!)
            .Where(g => g != ClusterGateway.QueryConsumerGroup).Distinct().Order(StringComparer.Ordinal)];
}
