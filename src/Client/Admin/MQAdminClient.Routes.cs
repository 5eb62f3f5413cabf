using RaftMq.Client.Instance;
using RaftMq.Protocol;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Headers;

namespace RaftMq.Client.Admin;

/// <summary>Topic routes as the name servers hold them (topicRoute, topicClusterList).</summary>
public sealed partial class MQAdminClient
{
    /// <summary>The topic's route (GET_ROUTEINFO_BY_TOPIC): queue data per broker group and the groups' addresses.
    /// Throws <see cref="MQClientException"/> with TOPIC_NOT_EXIST when no name server knows the topic.</summary>
    public async Task<TopicRouteData> GetTopicRouteAsync(string topic, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        var response = await Instance.InvokeNameServerAsync(() =>
        {
            var request = BrokerApi.Request(RequestCode.GetRouteInfoByTopic);
            new GetRouteInfoRequestHeader { Topic = topic, AcceptStandardJsonOnly = true }.ToExtFields(request.ExtFields);
            return request;
        }, cancellationToken).ConfigureAwait(false);
        if (response.Code == ResponseCode.TopicNotExist) throw new MQClientException(ResponseCode.TopicNotExist, $"Topic {topic} does not exist.");
        if (response.Code != ResponseCode.Success) throw new MQBrokerException(response.Code, response.Remark, "name server");
        return ProtocolJson.Decode<TopicRouteData>(response.Body.Span);
    }

    /// <summary>Names of the clusters that have a broker group holding queues of the topic, sorted.</summary>
    public async Task<IReadOnlyList<string>> GetTopicClustersAsync(string topic, CancellationToken cancellationToken = default)
    {
        var route = await GetTopicRouteAsync(topic, cancellationToken).ConfigureAwait(false);
        var clusters = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var broker in route.BrokerDatas)
        {
            if (!string.IsNullOrEmpty(broker.Cluster)) clusters.Add(broker.Cluster);
        }
        return [.. clusters];
    }
}
