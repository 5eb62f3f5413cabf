using RaftMq.Client.Instance;
using RaftMq.Protocol.Bodies;

namespace RaftMq.Client.Consumer;

public sealed partial class PushConsumer
{
    void IClientMember.OnResetOffset(string consumerGroup, string topic, IReadOnlyDictionary<MessageQueue, long> offsets)
    {
        if (consumerGroup != _options.ConsumerGroup || !_subscriptions.ContainsKey(topic) || offsets.Count == 0) return;
        _ = Task.Run(() => ResetOffsetsAsync(topic, offsets), CancellationToken.None);
    }

    /// <summary>
    /// resetOffsetByTime reached this consumer: each reset queue it holds is given up with the new offset persisted (messages
    /// already pulled are dropped), and the rebalance that follows takes it up again from there. A broadcasting consumer
    /// also stores the offsets of queues it does not pull right now.
    /// </summary>
    private async Task ResetOffsetsAsync(string topic, IReadOnlyDictionary<MessageQueue, long> offsets)
    {
        try
        {
            await _rebalanceLock.WaitAsync(_stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        try
        {
            _logger.OffsetsReset(_options.ConsumerGroup, topic, string.Join(", ", offsets.Select(o => $"{o.Key.BrokerName}:{o.Key.QueueId}={o.Value}")));
            foreach (var (queue, offset) in offsets)
            {
                if (_queues.TryGetValue(queue, out var processQueue)) await RemoveQueueAsync(processQueue, offset).ConfigureAwait(false);
                else if (!IsClustering) _offsets!.Update(queue, offset, increaseOnly: false);
            }
            if (!IsClustering) await _offsets!.PersistAsync([.. offsets.Keys], CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            _rebalanceLock.Release();
        }
        _rebalanceNow.Set();
    }
}
