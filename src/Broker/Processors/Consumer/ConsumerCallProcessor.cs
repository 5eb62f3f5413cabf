using System.Buffers;
using Microsoft.Extensions.Logging;
using RaftMq.Broker.Clients;
using RaftMq.Broker.Store;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Frames;
using RaftMq.Protocol.Headers;
using RaftMq.Protocol.Messages;
using RaftMq.Protocol.Remoting;

namespace RaftMq.Broker.Processors.Consumer;

/// <summary>
/// GET_CONSUMER_RUNNING_INFO (307) and CONSUME_MESSAGE_DIRECTLY (309), as RocketMQ's broker serves them: the request is
/// passed on to the named client of the consumer group over the client's own connection and the client's reply is the
/// answer. For 309 the broker first puts the stored bytes of the message the offset id names into the body and its broker
/// name into the header. Consumers heartbeat every node of a group, so any replica can serve both.
/// </summary>
public sealed class ConsumerCallProcessor : IRemotingRequestHandler
{
    /// <summary>How long the client may take (RocketMQ's broker waits as long for 307 and 309).</summary>
    public static readonly TimeSpan ClientCallTimeout = TimeSpan.FromSeconds(10);

    private readonly IMessageStore _store;
    private readonly ClientRegistry _clients;
    private readonly string _brokerName;
    private readonly ILogger _logger;

    public ConsumerCallProcessor(IMessageStore store, ClientRegistry clients, string brokerName, ILogger logger)
    {
        _store = store;
        _clients = clients;
        _brokerName = brokerName;
        _logger = logger;
    }

    public static IReadOnlyList<int> Codes { get; } = [RequestCode.GetConsumerRunningInfo, RequestCode.ConsumeMessageDirectly];

    public async ValueTask<RemotingCommand?> HandleAsync(RemotingContext context, RemotingCommand request, CancellationToken cancellationToken)
    {
        string group;
        string? clientId;
        if (request.Code == RequestCode.GetConsumerRunningInfo)
        {
            var header = GetConsumerRunningInfoRequestHeader.FromExtFields(request.ExtFields);
            (group, clientId) = (header.ConsumerGroup, header.ClientId);
        }
        else
        {
            var header = ConsumeMessageDirectlyRequestHeader.FromExtFields(request.ExtFields);
            (group, clientId) = (header.ConsumerGroup, header.ClientId);
            if (MessageBytes(header.MsgId) is not { } stored)
            {
                return request.CreateResponse(ResponseCode.SystemError, $"no message {header.MsgId} stored on broker {_brokerName}");
            }
            request.Body = stored;
            request.ExtFields.Set("brokerName", _brokerName);
        }
        var channel = _clients.ConsumerChannels(group).FirstOrDefault(c => c.ClientId == clientId);
        if (channel?.Connection is not { IsOpen: true } connection)
        {
            return request.CreateResponse(ResponseCode.SystemError, $"The Consumer <{group}> <{clientId}> not online");
        }
        var call = RemotingCommand.CreateRequest(request.Code);
        foreach (var (name, value) in request.ExtFields) call.ExtFields.Set(name, value);
        call.Body = request.Body;
        LogMessages.ConsumerCall(_logger, request.Code, group, clientId ?? "", context.RemoteAddress);
        RemotingCommand answer;
        try
        {
            answer = await connection.InvokeAsync(call, ClientCallTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (RemotingTimeoutException)
        {
            return request.CreateResponse(ResponseCode.SystemError, $"invoke consumer <{group}> <{clientId}> Timeout: no answer within {ClientCallTimeout.TotalSeconds:0} s");
        }
        catch (RemotingException ex)
        {
            return request.CreateResponse(ResponseCode.SystemError, $"invoke consumer <{group}> <{clientId}> failed: {ex.Message}");
        }
        var response = request.CreateResponse(answer.Code, answer.Remark);
        foreach (var (name, value) in answer.ExtFields) response.ExtFields.Set(name, value);
        response.Body = answer.Body;
        return response;
    }

    /// <summary>The stored message an offset message id names, or null (not an offset id, or no message at that offset here).</summary>
    private byte[]? MessageBytes(string? msgId)
    {
        if (msgId is null || !OffsetMessageId.TryDecode(msgId, out _, out long offset)) return null;
        var buffer = new ArrayBufferWriter<byte>(1024);
        return _store.TryReadMessage(offset, buffer) ? buffer.WrittenSpan.ToArray() : null;
    }
}
