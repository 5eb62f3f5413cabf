using RaftMq.Client.Consumer;
using RaftMq.Client.Instance;
using RaftMq.Protocol;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Headers;
using RaftMq.Protocol.Messages;
using RaftMq.Protocol.Remoting;

namespace RaftMq.Client.Admin;

/// <summary>
/// Read-mostly requests a console needs beside the mqadmin verbs: topic configs and routes, per-queue status, consume
/// stats of a group, online consumers, message lookup by key and id, offset reset by time and name-server health.
/// </summary>
public sealed partial class MQAdminClient
{
    /// <summary>The name servers this client was configured with.</summary>
    public IReadOnlyList<string> NameServerAddresses => _options.NameServerAddresses;

    /// <summary>The topic's route from the name servers (fresh, not cached), or null when no name server knows it (no exception).</summary>
    public async Task<TopicRouteData?> FindTopicRouteAsync(string topic, CancellationToken cancellationToken = default) =>
        (await Instance.RefreshRouteAsync(topic, cancellationToken).ConfigureAwait(false))?.Data;

    /// <summary>Every topic config of one broker node (GET_ALL_TOPIC_CONFIG, 21).</summary>
    public async Task<IReadOnlyList<TopicConfig>> GetTopicConfigsAsync(string brokerAddress, CancellationToken cancellationToken = default)
    {
        var response = await Instance.InvokeCheckedAsync(brokerAddress, BrokerApi.Request(RequestCode.GetAllTopicConfig), cancellationToken).ConfigureAwait(false);
        return [.. ProtocolJson.Decode<TopicConfigSerializeWrapper>(response.Body.Span).TopicConfigTable.Values.OrderBy(t => t.Name, StringComparer.Ordinal)];
    }

    /// <summary>Min/max offset and earliest store time of every queue of the topic, from the master of each group in its route
    /// (GET_TOPIC_STATS_INFO, 202).</summary>
    public async Task<IReadOnlyList<QueueStatus>> GetTopicQueueStatusAsync(string topic, CancellationToken cancellationToken = default)
    {
        var route = await FindTopicRouteAsync(topic, cancellationToken).ConfigureAwait(false)
            ?? throw new MQClientException(ResponseCode.TopicNotExist, $"Topic {topic} does not exist.");
        var result = new List<QueueStatus>();
        foreach (var broker in route.BrokerDatas.OrderBy(b => b.BrokerName, StringComparer.Ordinal))
        {
            if (broker.MasterAddress() is not { } address) continue;
            var request = BrokerApi.Request(RequestCode.GetTopicStatsInfo);
            request.ExtFields.Set("topic", topic);
            var response = await Instance.InvokeCheckedAsync(address, request, cancellationToken).ConfigureAwait(false);
            foreach (var queue in ProtocolJson.Decode<TopicStatsBody>(response.Body.Span).OffsetTable)
            {
                result.Add(new QueueStatus(queue.MessageQueue, queue.MinOffset, queue.MaxOffset, queue.LastUpdateTimestamp));
            }
        }
        return result;
    }

    /// <summary>
    /// Per queue, the broker's max offset and the group's committed offset, from every master of every cluster
    /// (GET_CONSUME_STATS, 208); <paramref name="topic"/> narrows it to one topic.
    /// </summary>
    public async Task<IReadOnlyList<QueueProgress>> GetConsumeStatsAsync(string consumerGroup, string? topic = null, CancellationToken cancellationToken = default)
    {
        var result = new List<QueueProgress>();
        foreach (string address in await AllMastersAsync(cancellationToken).ConfigureAwait(false))
        {
            var request = BrokerApi.Request(RequestCode.GetConsumeStats);
            request.ExtFields.Set("consumerGroup", consumerGroup);
            if (topic is not null) request.ExtFields.Set("topic", topic);
            var response = await Instance.InvokeCheckedAsync(address, request, cancellationToken).ConfigureAwait(false);
            foreach (var queue in ProtocolJson.Decode<ConsumeStatsBody>(response.Body.Span).OffsetTable)
            {
                result.Add(new QueueProgress(queue.MessageQueue, queue.BrokerOffset, queue.ConsumerOffset));
            }
        }
        return result;
    }

    /// <summary>Client ids of the group's online consumers, as the masters know them from heartbeats.</summary>
    public async Task<IReadOnlyList<string>> GetConsumerClientIdsAsync(string consumerGroup, CancellationToken cancellationToken = default)
    {
        var ids = new SortedSet<string>(StringComparer.Ordinal);
        foreach (string address in await AllMastersAsync(cancellationToken).ConfigureAwait(false))
        {
            ids.UnionWith(await _api!.GetConsumerIdsAsync(address, consumerGroup, cancellationToken).ConfigureAwait(false));
        }
        return [.. ids];
    }

    /// <summary>Messages of the topic with the key (or, with <paramref name="uniqueKey"/>, the producer's message id), from the
    /// master of every group in the route (QUERY_MESSAGE, 12); at most <paramref name="maxNum"/> per group.</summary>
    public async Task<IReadOnlyList<MessageExt>> QueryMessagesByKeyAsync(string topic, string key, DateTimeOffset begin, DateTimeOffset end,
        int maxNum = 32, bool uniqueKey = false, CancellationToken cancellationToken = default)
    {
        var route = await FindTopicRouteAsync(topic, cancellationToken).ConfigureAwait(false)
            ?? throw new MQClientException(ResponseCode.TopicNotExist, $"Topic {topic} does not exist.");
        var result = new List<MessageExt>();
        foreach (var broker in route.BrokerDatas.OrderBy(b => b.BrokerName, StringComparer.Ordinal))
        {
            if (broker.MasterAddress() is not { } address) continue;
            var request = BrokerApi.Request(RequestCode.QueryMessage);
            new QueryMessageRequestHeader
            {
                Topic = topic, Key = key, MaxNum = maxNum, UniqueKeyQuery = uniqueKey,
                BeginTimestamp = begin.ToUnixTimeMilliseconds(), EndTimestamp = end.ToUnixTimeMilliseconds(),
            }.ToExtFields(request.ExtFields);
            var response = await Instance.InvokeCheckedAsync(address, request, cancellationToken, ResponseCode.Success, ResponseCode.QueryNotFound)
                .ConfigureAwait(false);
            if (response.Code != ResponseCode.Success) continue;
            foreach (var view in StoredMessageView.ReadAll(response.Body.Span))
            {
                result.Add(PulledMessages.ToMessageExt(view.ToDecodedMessage(), broker.BrokerName, header: null, retryTopic: null));
            }
        }
        return result;
    }

    /// <summary>
    /// A message by id: an offset message id (store host + CommitLog offset, VIEW_MESSAGE_BY_ID 33, answered by any node of
    /// the storing group since offsets are identical on every replica), else a producer's UNIQ_KEY within <paramref name="topic"/>.
    /// Null when no broker has it.
    /// </summary>
    public async Task<MessageExt?> ViewMessageAsync(string topic, string messageId, CancellationToken cancellationToken = default)
    {
        if (OffsetMessageId.TryDecode(messageId, out var storeHost, out long offset)
            && await ViewByOffsetAsync(storeHost.ToString(), offset, cancellationToken).ConfigureAwait(false) is { } stored)
        {
            return stored;
        }
        var found = await QueryMessagesByKeyAsync(topic, messageId, DateTimeOffset.UnixEpoch, DateTimeOffset.MaxValue, 32, uniqueKey: true, cancellationToken)
            .ConfigureAwait(false);
        return found.FirstOrDefault(m => m.MsgId == messageId);
    }

    /// <summary>Whether one name server answers GET_BROKER_CLUSTER_INFO, and how long it took.</summary>
    public async Task<NameServerHealth> PingNameServerAsync(string address, CancellationToken cancellationToken = default)
    {
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            var response = await Instance.Remoting.InvokeAsync(address, BrokerApi.Request(RequestCode.GetBrokerClusterInfo), _options.RequestTimeout,
                cancellationToken).ConfigureAwait(false);
            var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started);
            return response.Code == ResponseCode.Success
                ? new NameServerHealth(address, true, elapsed, null)
                : new NameServerHealth(address, false, elapsed, $"code {response.Code}: {response.Remark}");
        }
        catch (RemotingException ex)
        {
            return new NameServerHealth(address, false, System.Diagnostics.Stopwatch.GetElapsedTime(started), ex.Message);
        }
    }

    private async Task<MessageExt?> ViewByOffsetAsync(string storeHost, long offset, CancellationToken cancellationToken)
    {
        // The node that stored it may be down or gone; the rest of its group holds the same bytes at the same offset.
        var (brokerName, candidates) = await ReplicasOfAsync(storeHost, cancellationToken).ConfigureAwait(false);
        foreach (string address in candidates)
        {
            var request = BrokerApi.Request(RequestCode.ViewMessageById);
            new ViewMessageRequestHeader { Offset = offset }.ToExtFields(request.ExtFields);
            try
            {
                var response = await Instance.InvokeCheckedAsync(address, request, cancellationToken).ConfigureAwait(false);
                foreach (var view in StoredMessageView.ReadAll(response.Body.Span))
                {
                    return PulledMessages.ToMessageExt(view.ToDecodedMessage(), brokerName, header: null, retryTopic: null);
                }
            }
            catch (MQException)
            {
                // not stored there (or not reachable): try the next replica
            }
        }
        return null;
    }

    private async Task<IReadOnlyList<string>> AllMastersAsync(CancellationToken cancellationToken)
    {
        var info = await ClusterInfoAsync(cancellationToken).ConfigureAwait(false);
        return [.. info.BrokerAddrTable.Values.Select(b => b.MasterAddress()).OfType<string>().Distinct().Order(StringComparer.Ordinal)];
    }
}
