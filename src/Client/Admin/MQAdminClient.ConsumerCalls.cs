using RaftMq.Client.Instance;
using RaftMq.Protocol;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Frames;
using RaftMq.Protocol.Headers;
using RaftMq.Protocol.Messages;
using RaftMq.Protocol.Remoting;

namespace RaftMq.Client.Admin;

/// <summary>Requests a broker passes on to one consumer (consumerStatus, consumeMessageDirectly): GET_CONSUMER_RUNNING_INFO (307)
/// and CONSUME_MESSAGE_DIRECTLY (309). The broker waits up to 10 s for the client, so these wait longer than other requests.</summary>
public sealed partial class MQAdminClient
{
    private static readonly TimeSpan ConsumerCallTimeout = TimeSpan.FromSeconds(15);

    /// <summary>
    /// The running info of consumer <paramref name="clientId"/> of <paramref name="consumerGroup"/> (subscriptions, held queues,
    /// rates), asked through a node of a group holding the group's <c>%RETRY%</c> topic, as mqadmin asks. Throws
    /// <see cref="MQBrokerException"/> with the broker's or the client's reason (e.g. not online).
    /// </summary>
    public async Task<ConsumerRunningInfo> GetConsumerRunningInfoAsync(string consumerGroup, string clientId, bool jstack = false,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(consumerGroup);
        ArgumentException.ThrowIfNullOrEmpty(clientId);
        var route = await FindTopicRouteAsync(SystemNames.RetryTopic(consumerGroup), cancellationToken).ConfigureAwait(false)
            ?? throw new MQClientException(ResponseCode.ConsumerNotOnline, $"Consumer group {consumerGroup} has no online consumer (no {SystemNames.RetryTopic(consumerGroup)} route).");
        var header = new GetConsumerRunningInfoRequestHeader { ConsumerGroup = consumerGroup, ClientId = clientId, JstackEnable = jstack };
        var response = await InvokeOnAnyAsync(MastersOf(route), RequestCode.GetConsumerRunningInfo, header.ToExtFields, cancellationToken).ConfigureAwait(false);
        return ConsumerRunningInfo.Decode(response.Body.Span);
    }

    /// <summary>
    /// Has consumer <paramref name="clientId"/> of <paramref name="consumerGroup"/> run the message <paramref name="messageId"/> (an
    /// offset id, or a producer id looked up in <paramref name="topic"/>) through its listener, whatever its position; nothing is
    /// committed. The request goes to the group that stores the message, whose node passes it on with the stored bytes.
    /// </summary>
    public async Task<ConsumeMessageDirectlyResult> ConsumeMessageDirectlyAsync(string consumerGroup, string clientId, string messageId,
        string? topic = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(consumerGroup);
        ArgumentException.ThrowIfNullOrEmpty(clientId);
        var message = await ViewMessageAsync(topic ?? "", messageId, cancellationToken).ConfigureAwait(false)
            ?? throw new MQClientException(ResponseCode.SystemError, $"No message with id {messageId}{(topic is null ? "" : $" in topic {topic}")}.");
        var header = new ConsumeMessageDirectlyRequestHeader { ConsumerGroup = consumerGroup, ClientId = clientId, MsgId = message.OffsetMsgId };
        var (_, nodes) = await ReplicasOfAsync(message.StoreHost, cancellationToken).ConfigureAwait(false);
        var response = await InvokeOnAnyAsync(nodes, RequestCode.ConsumeMessageDirectly, header.ToExtFields, cancellationToken).ConfigureAwait(false);
        return ProtocolJson.Decode<ConsumeMessageDirectlyResult>(response.Body.Span);
    }

    /// <summary>The group <paramref name="storeHost"/> belongs to ("" when unknown) and its nodes, that node first.</summary>
    private async Task<(string BrokerName, IReadOnlyList<string> Nodes)> ReplicasOfAsync(string storeHost, CancellationToken cancellationToken)
    {
        var info = await ClusterInfoAsync(cancellationToken).ConfigureAwait(false);
        var group = info.BrokerAddrTable.Values.FirstOrDefault(b => b.BrokerAddrs.ContainsValue(storeHost));
        return group is null ? ("", [storeHost]) : (group.BrokerName, [.. group.BrokerAddrs.Values.OrderBy(a => a == storeHost ? 0 : 1)]);
    }

    /// <summary>Sends to the first node that answers; a node that cannot be reached passes to the next, a refusal is final.</summary>
    private async Task<RemotingCommand> InvokeOnAnyAsync(IReadOnlyList<string> addresses, int code, Action<StringMap> header, CancellationToken cancellationToken)
    {
        RemotingException? unreachable = null;
        foreach (string address in addresses)
        {
            var request = BrokerApi.Request(code);
            header(request.ExtFields);
            RemotingCommand response;
            try
            {
                response = await Instance.Remoting.InvokeAsync(address, request, ConsumerCallTimeout, cancellationToken).ConfigureAwait(false);
            }
            catch (RemotingException ex)
            {
                unreachable = ex;
                continue;
            }
            if (response.Code != ResponseCode.Success) throw new MQBrokerException(response.Code, response.Remark, address);
            return response;
        }
        throw new MQClientException($"Request code {code}: no broker node could be reached ({string.Join(", ", addresses)}){(unreachable is null ? "" : ": " + unreachable.Message)}",
            unreachable);
    }
}
