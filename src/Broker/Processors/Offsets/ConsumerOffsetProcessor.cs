using RaftMq.Broker.Store;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Frames;
using RaftMq.Protocol.Headers;
using RaftMq.Protocol.Remoting;

namespace RaftMq.Broker.Processors.Offsets;

/// <summary>
/// Offsets (§13): QUERY_CONSUMER_OFFSET (14), UPDATE_CONSUMER_OFFSET (15, leader only: the store replicates it),
/// SEARCH_OFFSET_BY_TIMESTAMP (29), GET_MAX_OFFSET (30), GET_MIN_OFFSET (31), GET_EARLIEST_MSG_STORETIME (32).
/// </summary>
public sealed class ConsumerOffsetProcessor : IRemotingRequestHandler
{
    private readonly IMessageStore _store;
    private readonly ProcessorOptions _options;

    public ConsumerOffsetProcessor(IMessageStore store, ProcessorOptions options)
    {
        _store = store;
        _options = options;
    }

    public static IReadOnlyList<int> Codes { get; } =
    [
        RequestCode.QueryConsumerOffset, RequestCode.UpdateConsumerOffset, RequestCode.SearchOffsetByTimestamp,
        RequestCode.GetMaxOffset, RequestCode.GetMinOffset, RequestCode.GetEarliestMsgStoretime,
    ];

    public ValueTask<RemotingCommand?> HandleAsync(RemotingContext context, RemotingCommand request, CancellationToken cancellationToken) =>
        ValueTask.FromResult<RemotingCommand?>(request.Code switch
        {
            RequestCode.QueryConsumerOffset => QueryConsumerOffset(request),
            RequestCode.UpdateConsumerOffset => UpdateConsumerOffset(request),
            RequestCode.SearchOffsetByTimestamp => SearchOffset(request),
            RequestCode.GetMaxOffset => Offset(request, _store.GetMaxOffset),
            RequestCode.GetMinOffset => Offset(request, _store.GetMinOffset),
            RequestCode.GetEarliestMsgStoretime => EarliestStoreTime(request),
            _ => request.CreateResponse(ResponseCode.RequestCodeNotSupported, $" request type {request.Code} not supported"),
        });

    /// <summary>The committed offset; with none, 0 while the queue still starts at 0 (a new queue), else QUERY_NOT_FOUND
    /// so the client applies its consumeFromWhere.</summary>
    private RemotingCommand QueryConsumerOffset(RemotingCommand request)
    {
        var header = QueryConsumerOffsetRequestHeader.FromExtFields(request.ExtFields);
        long offset = _store.QueryConsumerOffset(header.ConsumerGroup, header.Topic, header.QueueId);
        if (offset < 0 && _store.GetMinOffset(header.Topic, header.QueueId) <= 0) offset = 0;
        if (offset < 0) return request.CreateResponse(ResponseCode.QueryNotFound, "Not found, V3_0_6_SNAPSHOT maybe this group consumer boot first");
        return WithOffset(request, offset);
    }

    private RemotingCommand UpdateConsumerOffset(RemotingCommand request)
    {
        var header = UpdateConsumerOffsetRequestHeader.FromExtFields(request.ExtFields);
        if (!_store.IsWritable) return Responses.NotMaster(request, _options.BrokerName, _store.LeaderId);
        if (_store.FindTopic(header.Topic) is not { } topic) return Responses.TopicNotExist(request, header.Topic);
        if (header.QueueId < 0 || header.QueueId >= topic.ReadQueueNums)
            return request.CreateResponse(ResponseCode.SystemError,
                $"queueId[{header.QueueId}] is illegal, topic:[{header.Topic}] topicConfig.readQueueNums:[{topic.ReadQueueNums}] consumer:[{header.ConsumerGroup}]");
        if (header.CommitOffset < 0)
            return request.CreateResponse(ResponseCode.SystemError,
                $"commitOffset[{header.CommitOffset}] is illegal for {header.Topic} queue {header.QueueId}: an offset is never negative");
        _store.CommitConsumerOffset(header.ConsumerGroup, header.Topic, header.QueueId, header.CommitOffset);
        return request.CreateResponse(ResponseCode.Success);
    }

    private RemotingCommand SearchOffset(RemotingCommand request)
    {
        var header = SearchOffsetRequestHeader.FromExtFields(request.ExtFields);
        return WithOffset(request, _store.SearchOffsetByTime(header.Topic, header.QueueId, header.Timestamp));
    }

    private static RemotingCommand Offset(RemotingCommand request, Func<string, int, long> read)
    {
        var header = TopicQueueRequestHeader.FromExtFields(request.ExtFields);
        return WithOffset(request, read(header.Topic, header.QueueId));
    }

    private RemotingCommand EarliestStoreTime(RemotingCommand request)
    {
        var header = TopicQueueRequestHeader.FromExtFields(request.ExtFields);
        var response = request.CreateResponse(ResponseCode.Success);
        new TimestampResponseHeader { Timestamp = _store.GetEarliestStoreTime(header.Topic, header.QueueId) }.ToExtFields(response.ExtFields);
        return response;
    }

    private static RemotingCommand WithOffset(RemotingCommand request, long offset)
    {
        var response = request.CreateResponse(ResponseCode.Success);
        new OffsetResponseHeader { Offset = offset }.ToExtFields(response.ExtFields);
        return response;
    }
}
