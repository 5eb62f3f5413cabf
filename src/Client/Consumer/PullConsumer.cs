using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RaftMq.Client.Instance;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Headers;
using RaftMq.Protocol.Remoting;

namespace RaftMq.Client.Consumer;

/// <summary>
/// A consumer that pulls only when asked: the caller picks queues and offsets and commits offsets itself. Pulls
/// always go to the master of the queue's broker group; when it cannot be reached the route is refreshed and the
/// pull retried.
/// </summary>
public sealed class PullConsumer : IAsyncDisposable, IClientMember
{
    private readonly PullConsumerOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, SubscriptionExpression> _subscriptions = new(StringComparer.Ordinal);
    private ClientInstance? _instance;
    private BrokerApi? _api;
    private PullSources? _pullSources;

    /// <summary>Creates a pull consumer; call <see cref="StartAsync"/> before use.</summary>
    public PullConsumer(PullConsumerOptions options, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger<PullConsumer>();
        _time = timeProvider ?? TimeProvider.System;
    }

    IReadOnlyCollection<string> IClientMember.RouteTopics => [.. _subscriptions.Keys];

    bool IClientMember.IsConsumer => true;

    private ClientInstance Instance => _instance ?? throw new InvalidOperationException("The pull consumer is not started.");

    /// <summary>Joins the shared client instance.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_instance is not null) throw new InvalidOperationException("The pull consumer is already started.");
        _instance = ClientInstance.Acquire(_options, _loggerFactory);
        _api = new BrokerApi(_instance);
        _pullSources = new PullSources(_instance);
        _instance.Register(this);
        _logger.ConsumerStarted(_options.ConsumerGroup, "pull", "manual", _instance.ClientId);
        return Task.CompletedTask;
    }

    /// <summary>The topic's readable queues.</summary>
    public async Task<IReadOnlyList<MessageQueue>> FetchSubscribeMessageQueuesAsync(string topic, CancellationToken cancellationToken = default)
    {
        var route = await Instance.RefreshRouteAsync(topic, cancellationToken).ConfigureAwait(false)
            ?? throw new MQClientException(ResponseCode.TopicNotExist, $"Topic {topic} does not exist.");
        return route.ReadableQueues;
    }

    /// <summary>Pulls up to <paramref name="maxNums"/> messages from <paramref name="offset"/>; answers at once when there are none.</summary>
    public Task<PullResult> PullAsync(MessageQueue queue, string expression, long offset, int maxNums, CancellationToken cancellationToken = default) =>
        PullCoreAsync(queue, MessageSelector.ByTag(expression), offset, maxNums, suspend: false, cancellationToken);

    /// <summary>Like <see cref="PullAsync(MessageQueue, string, long, int, CancellationToken)"/> with a tag or SQL92 selector;
    /// a SQL92 selector the broker refuses throws <see cref="MQBrokerException"/> with its code and remark.</summary>
    public Task<PullResult> PullAsync(MessageQueue queue, MessageSelector selector, long offset, int maxNums, CancellationToken cancellationToken = default) =>
        PullCoreAsync(queue, selector, offset, maxNums, suspend: false, cancellationToken);

    /// <summary>Like <see cref="PullAsync(MessageQueue, string, long, int, CancellationToken)"/>, but the broker holds the request (long polling) until a message arrives or the suspend time passes.</summary>
    public Task<PullResult> PullBlockIfNotFoundAsync(MessageQueue queue, string expression, long offset, int maxNums, CancellationToken cancellationToken = default) =>
        PullCoreAsync(queue, MessageSelector.ByTag(expression), offset, maxNums, suspend: true, cancellationToken);

    /// <summary>Long-polling pull with a tag or SQL92 selector.</summary>
    public Task<PullResult> PullBlockIfNotFoundAsync(MessageQueue queue, MessageSelector selector, long offset, int maxNums, CancellationToken cancellationToken = default) =>
        PullCoreAsync(queue, selector, offset, maxNums, suspend: true, cancellationToken);

    /// <summary>Commits <paramref name="offset"/> (the next offset to consume) for the group on the broker.</summary>
    public async Task UpdateConsumeOffsetAsync(MessageQueue queue, long offset, CancellationToken cancellationToken = default)
    {
        string address = await MasterAsync(queue, cancellationToken).ConfigureAwait(false);
        await _api!.UpdateConsumerOffsetAsync(address, _options.ConsumerGroup, queue, offset, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The group's committed offset, or -1 when it has none.</summary>
    public async Task<long> FetchConsumeOffsetAsync(MessageQueue queue, CancellationToken cancellationToken = default) =>
        await _api!.QueryConsumerOffsetAsync(await MasterAsync(queue, cancellationToken).ConfigureAwait(false), _options.ConsumerGroup, queue, cancellationToken).ConfigureAwait(false);

    /// <summary>Lowest offset still stored in the queue.</summary>
    public async Task<long> MinOffsetAsync(MessageQueue queue, CancellationToken cancellationToken = default) =>
        await _api!.GetMinOffsetAsync(await MasterAsync(queue, cancellationToken).ConfigureAwait(false), queue, cancellationToken).ConfigureAwait(false);

    /// <summary>Offset the next message written to the queue will get.</summary>
    public async Task<long> MaxOffsetAsync(MessageQueue queue, CancellationToken cancellationToken = default) =>
        await _api!.GetMaxOffsetAsync(await MasterAsync(queue, cancellationToken).ConfigureAwait(false), queue, cancellationToken).ConfigureAwait(false);

    /// <summary>First offset whose message was stored at or after <paramref name="timestamp"/>.</summary>
    public async Task<long> SearchOffsetAsync(MessageQueue queue, DateTimeOffset timestamp, CancellationToken cancellationToken = default) =>
        await _api!.SearchOffsetAsync(await MasterAsync(queue, cancellationToken).ConfigureAwait(false), queue, timestamp.ToUnixTimeMilliseconds(), cancellationToken).ConfigureAwait(false);

    /// <summary>Leaves the group and releases the shared client instance.</summary>
    public async ValueTask DisposeAsync()
    {
        var instance = Interlocked.Exchange(ref _instance, null);
        if (instance is null) return;
        instance.Unregister(this);
        await instance.UnregisterClientAsync(null, _options.ConsumerGroup, CancellationToken.None).ConfigureAwait(false);
        await instance.ReleaseAsync().ConfigureAwait(false);
        _logger.ConsumerStopped(_options.ConsumerGroup);
    }

    private async Task<PullResult> PullCoreAsync(
        MessageQueue queue, MessageSelector selector, long offset, int maxNums, bool suspend, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxNums, 1);
        var subscription = SubscriptionExpression.From(queue.Topic, selector, _time.GetUtcNow().ToUnixTimeMilliseconds());
        if (_subscriptions.TryAdd(queue.Topic, subscription)) Instance.RequestHeartbeat();
        var header = new PullMessageRequestHeader
        {
            ConsumerGroup = _options.ConsumerGroup, Topic = queue.Topic, QueueId = queue.QueueId, QueueOffset = offset, MaxMsgNums = maxNums,
            SysFlag = PullSysFlag.Build(commitOffset: false, suspend: suspend, subscription: true, classFilter: false),
            CommitOffset = -1, SuspendTimeoutMillis = (long)_options.LongPollingSuspend.TotalMilliseconds,
            Subscription = subscription.Expression, SubVersion = subscription.Version, ExpressionType = subscription.ExpressionType,
        };
        var timeout = suspend ? _options.PullTimeout : _options.RequestTimeout;
        var backoff = _options.PullRetryBackoff;
        for (int attempt = 1; ; attempt++)
        {
            // The queue's master, or the broker the last answer suggested (RocketMQ's PullAPIWrapper: PullSources).
            var source = await _pullSources!.ResolveAsync(queue, cancellationToken).ConfigureAwait(false);
            string address = source.Address;
            try
            {
                var response = await _api!.PullAsync(address, header, timeout, cancellationToken).ConfigureAwait(false);
                if (source.IsSlave && !PullSources.IsPullAnswer(response.Code))
                {
                    _pullSources.Failed(queue, source);
                    continue;
                }
                var answer = PullMessageResponseHeader.FromExtFields(response.ExtFields);
                _pullSources.Remember(queue, answer.SuggestWhichBrokerId);
                return ToResult(response.Code, answer, response.Body, queue, subscription);
            }
            catch (RemotingException ex) when (attempt < _options.PullAttempts)
            {
                _pullSources.Failed(queue, source);
                _logger.PullFailed(queue.ToString(), backoff, ex.Message);
                await Instance.RefreshRouteAsync(queue.Topic, cancellationToken).ConfigureAwait(false);
                await Task.Delay(backoff, _time, cancellationToken).ConfigureAwait(false);
                backoff += backoff;
            }
            catch (RemotingException ex)
            {
                await Instance.RefreshRouteAsync(queue.Topic, cancellationToken).ConfigureAwait(false);
                throw new MQClientException($"Pull from {queue} via {address} failed: {ex.Message}", ex);
            }
        }
    }

    /// <summary>A pull response as a <see cref="PullResult"/> (also used by the admin client's pulls).</summary>
    internal static PullResult ToResult(int code, PullMessageResponseHeader header, ReadOnlyMemory<byte> body, MessageQueue queue, SubscriptionExpression subscription)
    {
        var messages = code == ResponseCode.Success
            ? PulledMessages.Decode(body.Span, queue.BrokerName, header, subscription, retryTopic: null)
            : [];
        var status = code switch
        {
            ResponseCode.Success => messages.Count > 0 ? PullStatus.Found : PullStatus.NoMatchedMessage,
            ResponseCode.PullRetryImmediately => PullStatus.NoMatchedMessage,
            ResponseCode.PullOffsetMoved => PullStatus.OffsetIllegal,
            _ => PullStatus.NoNewMessage,
        };
        return new PullResult
        {
            Status = status, NextBeginOffset = header.NextBeginOffset, MinOffset = header.MinOffset, MaxOffset = header.MaxOffset, Messages = messages,
        };
    }

    private Task<string> MasterAsync(MessageQueue queue, CancellationToken cancellationToken) =>
        Instance.FindMasterAddressOrRefreshAsync(queue.BrokerName, queue.Topic, cancellationToken);

    void IClientMember.ContributeHeartbeat(HeartbeatData heartbeat)
    {
        var data = new ConsumerData
        {
            GroupName = _options.ConsumerGroup,
            ConsumeType = ConsumeType.ConsumeActively,
            MessageModel = MessageModel.Clustering,
            ConsumeFromWhere = ConsumeFromWhere.ConsumeFromLastOffset,
        };
        foreach (var subscription in _subscriptions.Values) data.SubscriptionDataSet.Add(subscription.ToData());
        heartbeat.ConsumerDataSet.Add(data);
    }

    void IClientMember.OnConsumerIdsChanged(string consumerGroup)
    {
    }
}
