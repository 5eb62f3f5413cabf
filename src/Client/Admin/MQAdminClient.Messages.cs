using RaftMq.Client.Consumer;
using RaftMq.Client.Instance;
using RaftMq.Protocol;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Headers;
using RaftMq.Protocol.Messages;

namespace RaftMq.Client.Admin;

/// <summary>
/// What mqadmin's message verbs need: a topic's readable queues, a queue's offsets, pulls from any queue and offset
/// without joining a consumer group, and lookups of a message by its broker (offset) id.
/// </summary>
public sealed partial class MQAdminClient
{
    /// <summary>The group the admin client's pulls name (RocketMQ's MixAll.TOOLS_CONSUMER_GROUP); it never sends a
    /// heartbeat, so the broker neither registers it nor creates its retry topic.</summary>
    public const string ToolsConsumerGroup = "TOOLS_CONSUMER";

    /// <summary>The topic's readable queues, ordered by broker group and queue id; throws when no name server knows the topic.</summary>
    public async Task<IReadOnlyList<MessageQueue>> GetReadableQueuesAsync(string topic, CancellationToken cancellationToken = default) =>
        [.. (await ReadableQueuesAsync(topic, cancellationToken).ConfigureAwait(false))
            .OrderBy(q => q.BrokerName, StringComparer.Ordinal).ThenBy(q => q.QueueId)];

    /// <summary>
    /// The readable queue <paramref name="queueId"/> of the topic on <paramref name="brokerName"/>; throws with the reason
    /// when the topic, the broker group or the queue id is not in the topic's route.
    /// </summary>
    public async Task<MessageQueue> FindReadableQueueAsync(string topic, string brokerName, int queueId, CancellationToken cancellationToken = default)
    {
        var queues = await GetReadableQueuesAsync(topic, cancellationToken).ConfigureAwait(false);
        var ofBroker = queues.Where(q => q.BrokerName == brokerName).ToList();
        if (ofBroker.Count == 0)
        {
            string brokers = string.Join(", ", queues.Select(q => q.BrokerName).Distinct());
            throw new MQClientException($"Broker {brokerName} holds no readable queue of topic {topic} (brokers: {brokers}).");
        }
        return ofBroker.FirstOrDefault(q => q.QueueId == queueId)
            ?? throw new MQClientException($"Queue {queueId} is not a readable queue of topic {topic} on {brokerName} (queue ids 0..{ofBroker.Count - 1}).");
    }

    /// <summary>Lowest offset still stored in the queue and the offset the next message will get (GET_MIN_OFFSET 31, GET_MAX_OFFSET 30).</summary>
    public async Task<QueueOffsets> GetQueueOffsetsAsync(MessageQueue queue, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queue);
        string address = await Instance.FindMasterAddressOrRefreshAsync(queue.BrokerName, queue.Topic, cancellationToken).ConfigureAwait(false);
        long min = await _api!.GetMinOffsetAsync(address, queue, cancellationToken).ConfigureAwait(false);
        long max = await _api.GetMaxOffsetAsync(address, queue, cancellationToken).ConfigureAwait(false);
        return new QueueOffsets(queue, min, max);
    }

    /// <summary>First offset of the queue whose message was stored at or after the time; the max offset when none was
    /// (SEARCH_OFFSET_BY_TIMESTAMP, 29).</summary>
    public async Task<long> SearchOffsetAsync(MessageQueue queue, long timestampMs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queue);
        string address = await Instance.FindMasterAddressOrRefreshAsync(queue.BrokerName, queue.Topic, cancellationToken).ConfigureAwait(false);
        return await _api!.SearchOffsetAsync(address, queue, timestampMs, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Pulls up to <paramref name="maxNums"/> messages of the queue from <paramref name="offset"/> matching the tag
    /// expression, from the group's master, as <paramref name="consumerGroup"/> (default <see cref="ToolsConsumerGroup"/>) with
    /// the subscription in the request (PULL_MESSAGE 11 without suspend and without committing an offset).
    /// </summary>
    public async Task<PullResult> PullAsync(MessageQueue queue, string? tagExpression, long offset, int maxNums, string? consumerGroup = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxNums, 1);
        var subscription = SubscriptionExpression.From(queue.Topic, MessageSelector.ByTag(tagExpression), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var header = new PullMessageRequestHeader
        {
            ConsumerGroup = consumerGroup ?? ToolsConsumerGroup, Topic = queue.Topic, QueueId = queue.QueueId, QueueOffset = offset, MaxMsgNums = maxNums,
            SysFlag = PullSysFlag.Build(commitOffset: false, suspend: false, subscription: true, classFilter: false),
            CommitOffset = -1, SuspendTimeoutMillis = 0,
            Subscription = subscription.Expression, SubVersion = subscription.Version, ExpressionType = subscription.ExpressionType,
        };
        string address = await Instance.FindMasterAddressOrRefreshAsync(queue.BrokerName, queue.Topic, cancellationToken).ConfigureAwait(false);
        var response = await _api!.PullAsync(address, header, _options.RequestTimeout, cancellationToken).ConfigureAwait(false);
        return PullConsumer.ToResult(response.Code, PullMessageResponseHeader.FromExtFields(response.ExtFields), response.Body, queue, subscription);
    }

    /// <summary>
    /// The message an offset message id names (store host + CommitLog offset, VIEW_MESSAGE_BY_ID 33; any replica of the
    /// storing group answers, offsets being the same on each), or null when no broker holds it. Throws
    /// <see cref="ArgumentException"/> when <paramref name="offsetMsgId"/> is not 32 hexadecimal characters.
    /// </summary>
    public Task<MessageExt?> ViewMessageByOffsetIdAsync(string offsetMsgId, CancellationToken cancellationToken = default)
    {
        if (!OffsetMessageId.TryDecode(offsetMsgId, out var storeHost, out long offset))
        {
            throw new ArgumentException($"\"{offsetMsgId}\" is not a message id (32 hexadecimal characters).", nameof(offsetMsgId));
        }
        return ViewByOffsetAsync(storeHost.ToString(), offset, cancellationToken);
    }

    /// <summary>The message whose producer id (UNIQ_KEY) is <paramref name="uniqueKey"/> in the topic, newest first when
    /// several replicas of a retried send stored it; null when none (QUERY_MESSAGE 12 with uniqueKeyQuery).</summary>
    public async Task<MessageExt?> QueryMessageByUniqueKeyAsync(string topic, string uniqueKey, CancellationToken cancellationToken = default)
    {
        var found = await QueryMessagesByKeyAsync(topic, uniqueKey, DateTimeOffset.UnixEpoch, DateTimeOffset.MaxValue, QueryMaxNum, uniqueKey: true, cancellationToken)
            .ConfigureAwait(false);
        return found.Where(m => m.MsgId == uniqueKey).OrderByDescending(m => m.StoreTimestamp).FirstOrDefault();
    }

    /// <summary>
    /// Up to <paramref name="count"/> ConsumeQueue units of a queue from unit <paramref name="index"/>, as the broker node at
    /// <paramref name="brokerAddress"/> stores them (QUERY_CONSUME_QUEUE 321); with <paramref name="consumerGroup"/>, that group's
    /// subscription and whether it accepts each unit. <see cref="QueryConsumeQueueResponseBody.QueueData"/> is null when the
    /// index lies outside the queue.
    /// </summary>
    public async Task<QueryConsumeQueueResponseBody> QueryConsumeQueueAsync(string brokerAddress, string topic, int queueId, long index, int count,
        string? consumerGroup = null, CancellationToken cancellationToken = default)
    {
        var request = BrokerApi.Request(RequestCode.QueryConsumeQueue);
        new QueryConsumeQueueRequestHeader { Topic = topic, QueueId = queueId, Index = index, Count = count, ConsumerGroup = consumerGroup }
            .ToExtFields(request.ExtFields);
        var response = await Instance.InvokeCheckedAsync(brokerAddress, request, cancellationToken).ConfigureAwait(false);
        return ProtocolJson.Decode<QueryConsumeQueueResponseBody>(response.Body.Span);
    }

    /// <summary>The master address of the first broker group (by name) of the topic's route; throws when none is known.</summary>
    public async Task<string> FirstMasterOfTopicAsync(string topic, CancellationToken cancellationToken = default)
    {
        var route = await FindTopicRouteAsync(topic, cancellationToken).ConfigureAwait(false)
            ?? throw new MQClientException(ResponseCode.TopicNotExist, $"Topic {topic} does not exist.");
        return route.BrokerDatas.OrderBy(b => b.BrokerName, StringComparer.Ordinal).Select(b => b.MasterAddress()).OfType<string>().FirstOrDefault()
            ?? throw new MQClientException($"No broker group of topic {topic} has a master.");
    }

    /// <summary>How many hits mqadmin asks for per broker group in a key query (the broker caps it at its own maximum).</summary>
    public const int QueryMaxNum = 64;
}
