namespace RaftMq.NameServer.Routing;

public sealed partial class RouteInfoManager
{
    /// <summary>
    /// Removes a topic's queue data (DELETE_TOPIC_IN_NAMESRV): of the broker groups of <paramref name="clusterName"/>
    /// only, or of every group when it is null or empty. A topic left without queues disappears from routes and the
    /// topic list. Brokers delete the topic first (DELETE_TOPIC_IN_BROKER): registrations only add and update queue
    /// data, so without this the topic would stay routable forever. Returns the broker names whose queues went.
    /// </summary>
    public IReadOnlyList<string> DeleteTopic(string topic, string? clusterName)
    {
        ArgumentNullException.ThrowIfNull(topic);
        lock (_gate)
        {
            if (!_topics.TryGetValue(topic, out var queues)) return [];
            var removed = new List<string>();
            foreach (string brokerName in queues.Keys.ToArray())
            {
                if (!string.IsNullOrEmpty(clusterName) && !InCluster(brokerName, clusterName)) continue;
                queues.Remove(brokerName);
                removed.Add(brokerName);
            }
            if (queues.Count == 0) _topics.Remove(topic);
            return removed;
        }
    }

    private bool InCluster(string brokerName, string clusterName) =>
        _clusters.TryGetValue(clusterName, out var names) && names.Contains(brokerName);
}
