using RaftMq.Client.Instance;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Codes;

namespace RaftMq.Client.Admin;

/// <summary>Consumption across groups: one broker's view of every group (brokerConsumeStats), and copying a group's
/// committed offsets to another group (cloneGroupOffset).</summary>
public sealed partial class MQAdminClient
{
    /// <summary>GET_BROKER_CONSUME_STATS (317): every consumer group the node knows (settings, committed offsets or online
    /// members), per topic and queue; <paramref name="orderOnly"/> keeps order topics only.</summary>
    public async Task<ConsumeStatsList> GetBrokerConsumeStatsAsync(string brokerAddress, bool orderOnly = false, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(brokerAddress);
        var request = BrokerApi.Request(RequestCode.GetBrokerConsumeStats);
        request.ExtFields.Set("isOrder", orderOnly ? "true" : "false");
        var response = await Instance.InvokeCheckedAsync(brokerAddress, request, cancellationToken).ConfigureAwait(false);
        return ProtocolJson.Decode<ConsumeStatsList>(response.Body.Span);
    }

    /// <summary>
    /// Copies <paramref name="sourceGroup"/>'s committed offset of every queue of <paramref name="topic"/> (GET_CONSUME_STATS,
    /// 208) to <paramref name="destinationGroup"/> (UPDATE_CONSUMER_OFFSET, 15, at each queue's master, which writes it
    /// through its log). Returns the queues set. A destination consumer that is online keeps committing its own position.
    /// </summary>
    public async Task<IReadOnlyList<QueueProgress>> CloneGroupOffsetAsync(string sourceGroup, string destinationGroup, string topic,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sourceGroup);
        ArgumentException.ThrowIfNullOrEmpty(destinationGroup);
        ArgumentException.ThrowIfNullOrEmpty(topic);
        var route = await FindTopicRouteAsync(topic, cancellationToken).ConfigureAwait(false)
            ?? throw new MQClientException(ResponseCode.TopicNotExist, $"Topic {topic} does not exist.");
        var cloned = new List<QueueProgress>();
        foreach (var queue in await GetConsumeStatsAsync(sourceGroup, topic, cancellationToken).ConfigureAwait(false))
        {
            string address = route.BrokerDatas.FirstOrDefault(b => b.BrokerName == queue.Queue.BrokerName)?.MasterAddress()
                ?? throw new MQClientException($"Broker group {queue.Queue.BrokerName} of topic {topic} has no master.");
            await _api!.UpdateConsumerOffsetAsync(address, destinationGroup, queue.Queue, queue.ConsumerOffset, cancellationToken).ConfigureAwait(false);
            cloned.Add(queue);
        }
        return cloned;
    }
}
