using RaftMq.Protocol.Codes;

namespace RaftMq.Client.Admin;

/// <summary>Which clusters hold a topic (topicClusterList).</summary>
public sealed partial class MQAdminClient
{
    /// <summary>Names of the clusters that have a broker group holding queues of the topic, sorted. Throws
    /// <see cref="MQClientException"/> with TOPIC_NOT_EXIST when no name server knows the topic.</summary>
    public async Task<IReadOnlyList<string>> GetTopicClustersAsync(string topic, CancellationToken cancellationToken = default)
    {
        var route = await FindTopicRouteAsync(topic, cancellationToken).ConfigureAwait(false)
            ?? throw new MQClientException(ResponseCode.TopicNotExist, $"Topic {topic} does not exist.");
        var clusters = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var broker in route.BrokerDatas)
        {
            if (!string.IsNullOrEmpty(broker.Cluster)) clusters.Add(broker.Cluster);
        }
        return [.. clusters];
    }
}
