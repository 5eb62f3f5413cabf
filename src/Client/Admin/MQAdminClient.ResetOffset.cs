using RaftMq.Client.Instance;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Headers;

namespace RaftMq.Client.Admin;

/// <summary>Moving a consumer group's offsets to a time (resetOffsetByTime).</summary>
public sealed partial class MQAdminClient
{
    /// <summary>Forced reset of every queue of the topic to the first message stored at or after <paramref name="timestamp"/>.</summary>
    public Task<IReadOnlyList<QueueReset>> ResetOffsetByTimeAsync(string consumerGroup, string topic, DateTimeOffset timestamp,
        CancellationToken cancellationToken = default) =>
        ResetOffsetByTimeAsync(consumerGroup, topic, timestamp.ToUnixTimeMilliseconds(), force: true, cancellationToken);

    /// <summary>
    /// INVOKE_BROKER_TO_RESET_OFFSET (222) on the master of every broker group holding the topic: each moves the group's
    /// offset of every queue to the first message stored at or after <paramref name="timestampMs"/> (-1: the max offset;
    /// without <paramref name="force"/> only backwards), writes the offsets to its log, and tells the group's online
    /// consumers (RESET_CONSUMER_CLIENT_OFFSET 220) to jump there. Returns every queue's new offset.
    /// </summary>
    public Task<IReadOnlyList<QueueReset>> ResetOffsetByTimeAsync(string consumerGroup, string topic, long timestampMs, bool force,
        CancellationToken cancellationToken = default) =>
        ResetOffsetByTimeAsync(consumerGroup, topic, timestampMs, force, progress: null, cancellationToken);

    /// <summary>As above; <paramref name="progress"/> hears after each broker group how many queues are reset of how many
    /// the route lists (each master resets its write queues of the topic).</summary>
    public async Task<IReadOnlyList<QueueReset>> ResetOffsetByTimeAsync(string consumerGroup, string topic, long timestampMs, bool force,
        IProgress<ResetOffsetProgress>? progress, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(consumerGroup);
        ArgumentException.ThrowIfNullOrEmpty(topic);
        var route = await FindTopicRouteAsync(topic, cancellationToken).ConfigureAwait(false)
            ?? throw new MQClientException(ResponseCode.TopicNotExist, $"Topic {topic} does not exist.");
        var result = new List<QueueReset>();
        var brokers = route.BrokerDatas.OrderBy(b => b.BrokerName, StringComparer.Ordinal).ToList();
        var groups = brokers.Select(b => b.BrokerName).ToHashSet(StringComparer.Ordinal);
        int queues = route.QueueDatas.Where(q => groups.Contains(q.BrokerName)).Sum(q => q.WriteQueueNums);
        foreach (var broker in brokers)
        {
            string address = broker.MasterAddress() ?? throw new MQClientException($"Broker group {broker.BrokerName} has no master.");
            var request = BrokerApi.Request(RequestCode.InvokeBrokerToResetOffset);
            new ResetOffsetRequestHeader { Topic = topic, Group = consumerGroup, Timestamp = timestampMs, IsForce = force }.ToExtFields(request.ExtFields);
            var response = await Instance.InvokeCheckedAsync(address, request, cancellationToken).ConfigureAwait(false);
            foreach (var entry in ProtocolJson.Decode<ResetOffsetBody>(response.Body.Span).OffsetTable)
            {
                result.Add(new QueueReset(entry.MessageQueue, entry.BrokerOffset, entry.PreviousOffset, entry.Offset));
            }
            progress?.Report(new ResetOffsetProgress(result.Count, Math.Max(queues, result.Count)));
        }
        return result;
    }
}

/// <summary>How far a reset is: queues reset so far of the queues the topic's route lists.</summary>
public sealed record ResetOffsetProgress(int QueuesDone, int Queues);

/// <summary>One queue of a reset.</summary>
/// <param name="Queue">The queue.</param>
/// <param name="BrokerOffset">The queue's max offset.</param>
/// <param name="PreviousOffset">The group's committed offset before, -1 when it had none.</param>
/// <param name="Offset">The group's offset now.</param>
public sealed record QueueReset(MessageQueue Queue, long BrokerOffset, long PreviousOffset, long Offset);
