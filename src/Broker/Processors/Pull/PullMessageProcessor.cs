using System.Buffers;
using System.Globalization;
using Microsoft.Extensions.Logging;
using RaftMq.Broker.Clients;
using RaftMq.Broker.Store;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Frames;
using RaftMq.Protocol.Headers;
using RaftMq.Protocol.Remoting;

namespace RaftMq.Broker.Processors.Pull;

/// <summary>
/// PULL_MESSAGE (11), rocketmq-wire-protocol.md §12: topic and queue checks, the tag or SQL92 filter, the store read, the
/// status table (codes 0/19/20/21, with suggestWhichBrokerId (<see cref="PullSourceSuggestion"/>), nextBeginOffset, minOffset and maxOffset),
/// long polling for PULL_NOT_FOUND with the SUSPEND flag, and the COMMIT_OFFSET flag. Who serves: the writable leader,
/// and with <see cref="ProcessorOptions.FollowersServePulls"/> (SYNC_FLUSH) a follower too, from what it applied. A
/// follower's store can lag the leader's, so a follower never moves a consumer's offset (no PULL_OFFSET_MOVED): a
/// pull it cannot answer from applied data waits like a long poll. Under ASYNC_FLUSH a power loss can roll back
/// entries a follower applied, so only the leader serves.
/// </summary>
public sealed class PullMessageProcessor : IRemotingRequestHandler, IAsyncDisposable
{
    private readonly IMessageStore _store;
    private readonly ClientRegistry _clients;
    private readonly ProcessorOptions _options;
    private readonly BrokerStats _stats;

    public PullMessageProcessor(IMessageStore store, ClientRegistry clients, ProcessorOptions options, RuntimeSettings runtime, BrokerStats stats,
        TimeProvider time, ILogger logger)
    {
        _store = store;
        _clients = clients;
        _options = options;
        _stats = stats;
        LongPolling = new LongPollingService(store, options, runtime, time, parked => Process(parked.Context, parked.Request, allowSuspend: false), logger);
    }

    public LongPollingService LongPolling { get; }

    public void Start() => LongPolling.Start();

    public Task StopAsync() => LongPolling.StopAsync();

    public ValueTask DisposeAsync() => LongPolling.DisposeAsync();

    public ValueTask<RemotingCommand?> HandleAsync(RemotingContext context, RemotingCommand request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Process(context, request, allowSuspend: true));

    /// <summary>Runs one pull; null when the request was parked (it is answered later by <see cref="LongPolling"/>).</summary>
    internal RemotingCommand? Process(RemotingContext context, RemotingCommand request, bool allowSuspend)
    {
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        var header = PullMessageRequestHeader.FromExtFields(request.ExtFields);
        bool leader = _store.IsWritable;
        if (!leader && !_options.FollowersServePulls) return Responses.NotMaster(request, _options.BrokerName, _store.LeaderId);
        if (Check(request, header, out var filter) is { } rejection) return rejection;
        var body = new ArrayBufferWriter<byte>(4096);
        int maxMessages = Math.Clamp(header.MaxMsgNums, 1, _options.MaxPullMessages);
        var result = _store.GetMessages(header.Topic, header.QueueId, header.QueueOffset, maxMessages, _options.MaxPullBytes,
            filter?.TagFilter, body, filter?.RecordFilter);
        var (code, nextBeginOffset) = leader
            ? PullStatusTable.Map(result, header.QueueOffset)
            : PullStatusTable.MapOnFollower(result, header.QueueOffset);
        if (leader && allowSuspend && PullSysFlag.HasCommitOffset(header.SysFlag) && header.CommitOffset >= 0)
        {
            _store.CommitConsumerOffset(header.ConsumerGroup, header.Topic, header.QueueId, header.CommitOffset);
        }
        if (code == ResponseCode.PullNotFound && allowSuspend && PullSysFlag.HasSuspend(header.SysFlag)
            && LongPolling.TryPark(context, request, header.Topic, header.QueueId, header.QueueOffset, header.SuspendTimeoutMillis))
        {
            return null;
        }
        var response = request.CreateResponse(code, PullStatusTable.StatusName(result.Status));
        new PullMessageResponseHeader
        {
            SuggestWhichBrokerId = PullSourceSuggestion.For(_store, _options, header.ConsumerGroup, header.Topic, header.QueueId, result),
            NextBeginOffset = nextBeginOffset,
            MinOffset = result.MinOffset,
            MaxOffset = result.MaxOffset,
        }.ToExtFields(response.ExtFields);
        if (code == ResponseCode.Success)
        {
            response.Body = body.WrittenMemory;
            _stats.AddPulled(header.Topic, header.ConsumerGroup, result.MessageCount, body.WrittenCount);
        }
        _stats.Metrics.PullServed(started);
        return response;
    }

    /// <summary>RocketMQ's checks before reading: the group may consume (its subscription group settings), topic exists and is
    /// readable, queue id in range, subscription.</summary>
    private RemotingCommand? Check(RemotingCommand request, PullMessageRequestHeader header, out SubscriptionFilter? filter)
    {
        filter = null;
        if (_store.FindSubscriptionGroup(header.ConsumerGroup) is { } group)
        {
            // RocketMQ's wording, so that clients and operators recognise the refusal (both are NO_PERMISSION).
            if (!group.ConsumeEnable) return request.CreateResponse(ResponseCode.NoPermission, "subscription group no permission, " + header.ConsumerGroup);
            if (!group.ConsumeBroadcastEnable && _clients.FindMessageModel(header.ConsumerGroup) == MessageModel.Broadcasting)
            {
                return request.CreateResponse(ResponseCode.NoPermission, $"the consumer group[{header.ConsumerGroup}] can not consume by broadcast way");
            }
        }
        var topic = _store.FindTopic(header.Topic);
        if (topic is null) return Responses.TopicNotExist(request, header.Topic);
        if (!PermName.IsReadable(topic.Perm))
        {
            return request.CreateResponse(ResponseCode.NoPermission, $"the topic[{header.Topic}] pulling message is forbidden");
        }
        if (header.QueueId < 0 || header.QueueId >= topic.ReadQueueNums)
        {
            return request.CreateResponse(ResponseCode.SystemError, string.Create(CultureInfo.InvariantCulture,
                $"queueId[{header.QueueId}] is illegal, topic:[{header.Topic}] readQueueNums:[{topic.ReadQueueNums}] consumer:[{header.ConsumerGroup}]"));
        }
        SubscriptionRefusal? refusal;
        if (PullSysFlag.HasSubscription(header.SysFlag))
        {
            refusal = SubscriptionFilter.TryFromExpression(header.ExpressionType, header.Subscription, _options.EnablePropertyFilter, out filter);
        }
        else if (_clients.FindSubscription(header.ConsumerGroup, header.Topic) is { } subscription)
        {
            refusal = SubscriptionFilter.TryFromSubscription(subscription, _options.EnablePropertyFilter, out filter);
        }
        else
        {
            return request.CreateResponse(ResponseCode.SubscriptionNotExist,
                $"the consumer's subscription not exist: group {header.ConsumerGroup} has not sent a heartbeat subscribing {header.Topic} to this broker");
        }
        return refusal is null ? null : request.CreateResponse(refusal.Code, refusal.Remark);
    }
}
