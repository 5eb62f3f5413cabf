using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Frames;
using RaftMq.Protocol.Headers;

namespace RaftMq.Client.Instance;

/// <summary>The broker requests consumers and the admin client make, typed and with their error codes checked.</summary>
internal sealed class BrokerApi(ClientInstance instance)
{
    /// <summary>PULL_MESSAGE; returns the response as is (0/19/20/21 are all normal answers).</summary>
    public async Task<RemotingCommand> PullAsync(string address, PullMessageRequestHeader header, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var request = Request(RequestCode.PullMessage);
        header.ToExtFields(request.ExtFields);
        var response = await instance.Remoting.InvokeAsync(address, request, timeout, cancellationToken).ConfigureAwait(false);
        return response.Code is ResponseCode.Success or ResponseCode.PullNotFound or ResponseCode.PullRetryImmediately or ResponseCode.PullOffsetMoved
            ? response
            : throw new MQBrokerException(response.Code, response.Remark, address);
    }

    /// <summary>CHECK_CLIENT_CONFIG: the broker's verdict on a subscription (SQL92 support, expression syntax).</summary>
    public async Task CheckClientConfigAsync(string address, string group, SubscriptionData subscription, CancellationToken cancellationToken)
    {
        var request = Request(RequestCode.CheckClientConfig);
        request.Body = ProtocolJson.Encode(new CheckClientRequestBody { ClientId = instance.ClientId, Group = group, SubscriptionData = subscription });
        await instance.InvokeCheckedAsync(address, request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The group's committed offset of the queue, or -1 when it has none (QUERY_NOT_FOUND).</summary>
    public async Task<long> QueryConsumerOffsetAsync(string address, string group, MessageQueue queue, CancellationToken cancellationToken)
    {
        var request = Request(RequestCode.QueryConsumerOffset);
        new QueryConsumerOffsetRequestHeader { ConsumerGroup = group, Topic = queue.Topic, QueueId = queue.QueueId }.ToExtFields(request.ExtFields);
        var response = await instance.InvokeCheckedAsync(address, request, cancellationToken, ResponseCode.Success, ResponseCode.QueryNotFound).ConfigureAwait(false);
        return response.Code == ResponseCode.QueryNotFound ? -1 : OffsetResponseHeader.FromExtFields(response.ExtFields).Offset;
    }

    public async Task UpdateConsumerOffsetAsync(string address, string group, MessageQueue queue, long offset, CancellationToken cancellationToken)
    {
        var request = Request(RequestCode.UpdateConsumerOffset);
        new UpdateConsumerOffsetRequestHeader { ConsumerGroup = group, Topic = queue.Topic, QueueId = queue.QueueId, CommitOffset = offset }
            .ToExtFields(request.ExtFields);
        await instance.InvokeCheckedAsync(address, request, cancellationToken).ConfigureAwait(false);
    }

    public Task<long> GetMaxOffsetAsync(string address, MessageQueue queue, CancellationToken cancellationToken) =>
        QueueOffsetAsync(RequestCode.GetMaxOffset, address, queue, cancellationToken);

    public Task<long> GetMinOffsetAsync(string address, MessageQueue queue, CancellationToken cancellationToken) =>
        QueueOffsetAsync(RequestCode.GetMinOffset, address, queue, cancellationToken);

    public async Task<long> SearchOffsetAsync(string address, MessageQueue queue, long timestampMs, CancellationToken cancellationToken)
    {
        var request = Request(RequestCode.SearchOffsetByTimestamp);
        new SearchOffsetRequestHeader { Topic = queue.Topic, QueueId = queue.QueueId, Timestamp = timestampMs }.ToExtFields(request.ExtFields);
        var response = await instance.InvokeCheckedAsync(address, request, cancellationToken).ConfigureAwait(false);
        return OffsetResponseHeader.FromExtFields(response.ExtFields).Offset;
    }

    /// <summary>Client ids of the group's live consumers as the broker knows them (empty when it knows none).</summary>
    public async Task<List<string>> GetConsumerIdsAsync(string address, string group, CancellationToken cancellationToken)
    {
        var request = Request(RequestCode.GetConsumerListByGroup);
        new ConsumerGroupRequestHeader { ConsumerGroup = group }.ToExtFields(request.ExtFields);
        var response = await instance.InvokeCheckedAsync(address, request, cancellationToken, ResponseCode.Success, ResponseCode.SystemError).ConfigureAwait(false);
        return response.Code == ResponseCode.Success && !response.Body.IsEmpty
            ? ProtocolJson.Decode<ConsumerListByGroupResponseBody>(response.Body.Span).ConsumerIdList
            : [];
    }

    /// <summary>LOCK_BATCH_MQ: the subset of <paramref name="queues"/> this client now holds.</summary>
    public async Task<HashSet<MessageQueue>> LockAsync(string address, string group, IEnumerable<MessageQueue> queues, CancellationToken cancellationToken)
    {
        var request = Request(RequestCode.LockBatchMq);
        request.Body = ProtocolJson.Encode(new LockBatchRequestBody { ConsumerGroup = group, ClientId = instance.ClientId, MqSet = [.. queues] });
        var response = await instance.InvokeCheckedAsync(address, request, cancellationToken).ConfigureAwait(false);
        return [.. ProtocolJson.Decode<LockBatchResponseBody>(response.Body.Span).LockOkMqSet];
    }

    public async Task UnlockAsync(string address, string group, IEnumerable<MessageQueue> queues, CancellationToken cancellationToken)
    {
        var request = Request(RequestCode.UnlockBatchMq);
        request.Body = ProtocolJson.Encode(new LockBatchRequestBody { ConsumerGroup = group, ClientId = instance.ClientId, MqSet = [.. queues] });
        await instance.InvokeCheckedAsync(address, request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>CONSUMER_SEND_MSG_BACK: the broker re-stores the message in %RETRY%group (or the DLQ).</summary>
    public async Task SendBackAsync(string address, ConsumerSendMsgBackRequestHeader header, CancellationToken cancellationToken)
    {
        var request = Request(RequestCode.ConsumerSendMsgBack);
        header.ToExtFields(request.ExtFields);
        await instance.InvokeCheckedAsync(address, request, cancellationToken).ConfigureAwait(false);
    }

    private async Task<long> QueueOffsetAsync(int code, string address, MessageQueue queue, CancellationToken cancellationToken)
    {
        var request = Request(code);
        new TopicQueueRequestHeader { Topic = queue.Topic, QueueId = queue.QueueId }.ToExtFields(request.ExtFields);
        var response = await instance.InvokeCheckedAsync(address, request, cancellationToken).ConfigureAwait(false);
        return OffsetResponseHeader.FromExtFields(response.ExtFields).Offset;
    }

    public static RemotingCommand Request(int code)
    {
        var request = RemotingCommand.CreateRequest(code);
        request.Language = LanguageCode.DotNet;
        return request;
    }
}
