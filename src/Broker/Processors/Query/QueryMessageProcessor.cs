using System.Buffers;
using System.Globalization;
using RaftMq.Broker.Clients;
using RaftMq.Broker.Store;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Frames;
using RaftMq.Protocol.Headers;
using RaftMq.Protocol.Messages;
using RaftMq.Protocol.Remoting;

namespace RaftMq.Broker.Processors.Query;

/// <summary>QUERY_MESSAGE (12) by key or UNIQ_KEY, VIEW_MESSAGE_BY_ID (33) by CommitLog physical offset, and QUERY_CONSUME_QUEUE
/// (321) of one queue's units.</summary>
public sealed partial class QueryMessageProcessor : IRemotingRequestHandler
{
    /// <summary>Upper bound of messages one query returns, whatever maxNum asks (RocketMQ's defaultQueryMaxNum, 32).</summary>
    public const int MaxQueryMessages = 32;

    private readonly IMessageStore _store;
    private readonly ClientRegistry? _clients;

    /// <summary><paramref name="clients"/> tells QUERY_CONSUME_QUEUE the online groups' subscriptions.</summary>
    public QueryMessageProcessor(IMessageStore store, ClientRegistry? clients = null)
    {
        _store = store;
        _clients = clients;
    }

    public static IReadOnlyList<int> Codes { get; } = [RequestCode.QueryMessage, RequestCode.ViewMessageById, RequestCode.QueryConsumeQueue];

    public ValueTask<RemotingCommand?> HandleAsync(RemotingContext context, RemotingCommand request, CancellationToken cancellationToken) =>
        ValueTask.FromResult<RemotingCommand?>(request.Code switch
        {
            RequestCode.QueryMessage => QueryByKey(request),
            RequestCode.QueryConsumeQueue => QueryConsumeQueue(request),
            _ => ViewById(request),
        });

    private RemotingCommand QueryByKey(RemotingCommand request)
    {
        var header = QueryMessageRequestHeader.FromExtFields(request.ExtFields);
        int maxNum = Math.Clamp(header.MaxNum, 1, MaxQueryMessages);
        var offsets = _store.QueryByKey(header.Topic, header.Key, maxNum, header.BeginTimestamp, header.EndTimestamp);
        var body = new ArrayBufferWriter<byte>(4096);
        long lastStoreTime = 0;
        long lastPhysicalOffset = 0;
        foreach (long offset in offsets)
        {
            int start = body.WrittenCount;
            if (!_store.TryReadMessage(offset, body)) continue;
            var message = StoredMessageView.Read(body.WrittenSpan[start..]);
            lastStoreTime = Math.Max(lastStoreTime, message.StoreTimestamp);
            lastPhysicalOffset = Math.Max(lastPhysicalOffset, offset);
        }
        if (body.WrittenCount == 0) return request.CreateResponse(ResponseCode.QueryNotFound, "can not find message, maybe time range not correct");
        var response = request.CreateResponse(ResponseCode.Success);
        new QueryMessageResponseHeader { IndexLastUpdateTimestamp = lastStoreTime, IndexLastUpdatePhyoffset = lastPhysicalOffset }
            .ToExtFields(response.ExtFields);
        response.Body = body.WrittenMemory;
        return response;
    }

    private RemotingCommand ViewById(RemotingCommand request)
    {
        var header = ViewMessageRequestHeader.FromExtFields(request.ExtFields);
        var body = new ArrayBufferWriter<byte>(1024);
        if (!_store.TryReadMessage(header.Offset, body))
        {
            return request.CreateResponse(ResponseCode.SystemError,
                string.Create(CultureInfo.InvariantCulture, $"can not find message by the offset, {header.Offset}"));
        }
        var response = request.CreateResponse(ResponseCode.Success);
        response.Body = body.WrittenMemory;
        return response;
    }
}
