using Microsoft.Extensions.Logging;
using RaftMq.Client.Instance;
using RaftMq.Protocol;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Remoting;

namespace RaftMq.Client.Consumer;

/// <summary>Clustering offsets, kept by the broker: QUERY_CONSUMER_OFFSET to read, UPDATE_CONSUMER_OFFSET to commit.</summary>
internal sealed class RemoteOffsetStore(ClientInstance instance, BrokerApi api, string group, ILogger logger) : OffsetStore
{
    public override async Task<long> ReadStoredAsync(MessageQueue queue, CancellationToken cancellationToken)
    {
        string address = await instance.FindMasterAddressOrRefreshAsync(queue.BrokerName, queue.Topic, cancellationToken).ConfigureAwait(false);
        return await api.QueryConsumerOffsetAsync(address, group, queue, cancellationToken).ConfigureAwait(false);
    }

    public override async Task PersistAsync(IReadOnlyCollection<MessageQueue> queues, CancellationToken cancellationToken)
    {
        var unreachable = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (queue, offset) in Changed(queues))
        {
            // One timeout per unreachable broker, not one per queue: shutdown must not crawl through a dead broker.
            if (unreachable.Contains(queue.BrokerName)) continue;
            try
            {
                string address = await instance.FindMasterAddressOrRefreshAsync(queue.BrokerName, queue.Topic, cancellationToken).ConfigureAwait(false);
                await api.UpdateConsumerOffsetAsync(address, group, queue, offset, cancellationToken).ConfigureAwait(false);
                MarkPersisted(queue, offset);
            }
            catch (Exception ex) when (ex is MQException or RemotingException or RemotingProtocolException)
            {
                logger.OffsetPersistFailed(group, queue.ToString(), offset, ex.Message);
                if (ex is MQClientException) unreachable.Add(queue.BrokerName);
            }
        }
    }
}
