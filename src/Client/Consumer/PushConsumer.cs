using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RaftMq.Client.Instance;
using RaftMq.Client.Producer;
using RaftMq.Client.Trace;
using RaftMq.Foundation.Background;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Messages;

namespace RaftMq.Client.Consumer;

/// <summary>
/// A consumer that pulls in the background (long polling) and hands messages to a handler: concurrently across
/// queues, or orderly (one batch at a time per queue, queues locked on the broker in clustering mode).
/// Clustering splits the topic's queues among the group (average allocation, rebalanced every 10 s and whenever the
/// broker reports a membership change); broadcasting gives every consumer every queue. Failed messages go back to
/// the broker (%RETRY%group) for redelivery. Offsets are committed every 5 s and at shutdown.
/// </summary>
public sealed partial class PushConsumer : IAsyncDisposable, IClientMember
{
    private readonly PushConsumerOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, SubscriptionExpression> _subscriptions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<MessageQueue, ProcessQueue> _queues = new();
    private readonly Signal _rebalanceNow = new();
    private readonly SemaphoreSlim _rebalanceLock = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private ClientInstance? _instance;
    private BrokerApi? _api;
    private PullSources? _pullSources;
    private OffsetStore? _offsets;
    private MessageSender? _retrySender;
    private TraceDispatcher? _trace;
    private ConsumeTracer? _consumeTracer;
    private ConcurrentMessageHandler? _concurrentHandler;
    private OrderlyMessageHandler? _orderlyHandler;
    private Channel<ConsumeRequest>? _consumeQueue;
    private SemaphoreSlim? _orderlySlots;
    private Task[] _background = [];
    private int _disposeStarted;
    private readonly ConsumeStatsRecorder _consumeStats;
    private long _startTimestampMs;

    /// <summary>Creates a consumer; subscribe, then start it with a handler.</summary>
    public PushConsumer(PushConsumerOptions options, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger<PushConsumer>();
        _time = timeProvider ?? TimeProvider.System;
        _consumeStats = new ConsumeStatsRecorder(_time);
    }

    /// <summary>The client id brokers see ("ip@instanceName"); available after start.</summary>
    public string ClientId => Instance.ClientId;

    /// <summary>Counts of this consumer's trace records; null unless <see cref="PushConsumerOptions.EnableMsgTrace"/>.</summary>
    public TraceStatistics? TraceStatistics => _trace?.Statistics;

    /// <summary>The queues this consumer currently pulls from.</summary>
    public IReadOnlyCollection<MessageQueue> AssignedQueues => [.. _queues.Keys];

    IReadOnlyCollection<string> IClientMember.RouteTopics => [.. _subscriptions.Keys];

    bool IClientMember.IsConsumer => true;

    private bool IsClustering => _options.MessageModel == MessageModel.Clustering;

    private bool IsOrderly => _orderlyHandler is not null;

    private string RetryTopic => SystemNames.RetryTopic(_options.ConsumerGroup);

    private ClientInstance Instance => _instance ?? throw new InvalidOperationException("The consumer is not started.");

    /// <summary>Subscribes to <paramref name="topic"/> with a tag expression ("*", "TagA", "TagA || TagB").</summary>
    public void Subscribe(string topic, string expression = "*") => Subscribe(topic, MessageSelector.ByTag(expression));

    /// <summary>Subscribes to <paramref name="topic"/> with a tag or SQL92 selector (<see cref="MessageSelector.BySql"/>).</summary>
    public void Subscribe(string topic, MessageSelector selector)
    {
        if (SystemNames.IsRetryTopic(topic)) throw new ArgumentException("Retry topics are subscribed automatically.", nameof(topic));
        _subscriptions[topic] = SubscriptionExpression.From(topic, selector, _time.GetUtcNow().ToUnixTimeMilliseconds());
        if (_instance is null) return;
        _instance.RequestHeartbeat();
        _rebalanceNow.Set();
    }

    /// <summary>Stops consuming <paramref name="topic"/> (its queues are released at the next rebalance, which starts now).</summary>
    public void Unsubscribe(string topic)
    {
        _subscriptions.TryRemove(topic, out _);
        _rebalanceNow.Set();
    }

    /// <summary>Starts consuming concurrently; returns after the first rebalance assigned queues.</summary>
    public Task StartAsync(ConcurrentMessageHandler handler, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        EnsureNotStarted();
        _concurrentHandler = handler;
        return StartCoreAsync(cancellationToken);
    }

    /// <summary>Starts consuming each queue in order; returns after the first rebalance assigned queues.</summary>
    public Task StartAsync(OrderlyMessageHandler handler, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        EnsureNotStarted();
        _orderlyHandler = handler;
        return StartCoreAsync(cancellationToken);
    }

    /// <summary>Commits the consumed offsets of every assigned queue now.</summary>
    public Task PersistOffsetsAsync(CancellationToken cancellationToken = default) =>
        _offsets?.PersistAsync(AssignedQueues, cancellationToken) ?? Task.CompletedTask;

    private void EnsureNotStarted()
    {
        if (_instance is not null || _concurrentHandler is not null || _orderlyHandler is not null)
        {
            throw new InvalidOperationException("The consumer is already started.");
        }
        if (_subscriptions.IsEmpty) throw new InvalidOperationException("Subscribe to at least one topic before starting.");
    }

    private async Task StartCoreAsync(CancellationToken cancellationToken)
    {
        _instance = ClientInstance.Acquire(_options, _loggerFactory);
        _startTimestampMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
        _api = new BrokerApi(_instance);
        _pullSources = new PullSources(_instance);
        _offsets = IsClustering
            ? new RemoteOffsetStore(_instance, _api, _options.ConsumerGroup, _logger)
            : new LocalFileOffsetStore(_options.OffsetStoreDirectory, _instance.ClientId, _options.ConsumerGroup);
        if (IsClustering)
        {
            _subscriptions[RetryTopic] = SubscriptionExpression.Parse(RetryTopic, "*", _time.GetUtcNow().ToUnixTimeMilliseconds());
            _retrySender = new MessageSender(_instance, InnerProducerOptions(), _logger, _time);
        }
        foreach (string topic in _subscriptions.Keys) await RefreshRouteQuietlyAsync(topic, cancellationToken).ConfigureAwait(false);
        try
        {
            await CheckSubscriptionsInBrokersAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await _instance.ReleaseAsync().ConfigureAwait(false);
            _instance = null;
            _concurrentHandler = null;
            _orderlyHandler = null;
            throw;
        }
        if (_options.EnableMsgTrace)
        {
            _trace = MessageTracing.StartDispatcher(_instance, _options, _options.ConsumerGroup, MessageTracing.TopicOf(_options.CustomizedTraceTopic),
                _logger, _time);
            _consumeTracer = new ConsumeTracer(_trace, _options.ConsumerGroup, _instance.IdGenerator, _time);
        }
        _instance.Register(this);
        await _instance.SendHeartbeatsAsync(cancellationToken).ConfigureAwait(false);
        StartBackgroundWork();
        _logger.ConsumerStarted(_options.ConsumerGroup, _options.MessageModel.ToString(), IsOrderly ? "orderly" : "concurrent", _instance.ClientId);
        await RebalanceAsync(cancellationToken).ConfigureAwait(false);
    }

    private void StartBackgroundWork()
    {
        var stopping = _stopping.Token;
        var work = new List<Task>
        {
            BackgroundLoop.Start(new BackgroundLoopOptions { Name = "rebalance", Period = _options.RebalanceInterval, WakeUp = _rebalanceNow },
                RebalanceAsync, _logger, stopping).Completion,
            BackgroundLoop.Start(new BackgroundLoopOptions { Name = "offset persist", Period = _options.PersistOffsetInterval },
                PersistOffsetsAsync, _logger, stopping).Completion,
        };
        if (IsOrderly)
        {
            _orderlySlots = new SemaphoreSlim(_options.ConsumeConcurrency, _options.ConsumeConcurrency);
            if (IsClustering)
            {
                work.Add(BackgroundLoop.Start(new BackgroundLoopOptions { Name = "lock renewal", Period = _options.LockRenewInterval },
                    RenewLocksAsync, _logger, stopping).Completion);
            }
        }
        else
        {
            _consumeQueue = Channel.CreateBounded<ConsumeRequest>(new BoundedChannelOptions(_options.ConsumeConcurrency * 4) { FullMode = BoundedChannelFullMode.Wait });
            for (int i = 0; i < _options.ConsumeConcurrency; i++) work.Add(Task.Run(ConsumeWorkerAsync, CancellationToken.None));
        }
        _background = [.. work];
    }

    private ProducerOptions InnerProducerOptions() => new()
    {
        NameServerAddresses = _options.NameServerAddresses,
        InstanceName = _options.InstanceName,
        ClientIp = _options.ClientIp,
        RequestTimeout = _options.RequestTimeout,
        ProducerGroup = SystemNames.ClientInnerProducerGroup,
    };

    /// <summary>Stops pulling, waits for running handlers, commits offsets, releases locks and leaves the group.</summary>
    public async ValueTask DisposeAsync()
    {
        var instance = _instance;
        if (instance is null || Interlocked.Exchange(ref _disposeStarted, 1) != 0) return;
        instance.Unregister(this);
        await _stopping.CancelAsync().ConfigureAwait(false);
        _consumeQueue?.Writer.TryComplete();
        var running = new List<Task>(_background);
        foreach (var queue in _queues.Values)
        {
            running.Add(queue.PullLoop);
            running.Add(queue.ConsumeLoop);
        }
        try
        {
            await Task.WhenAll(running).WaitAsync(_options.ShutdownTimeout).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            // Handlers still running keep their messages uncommitted; the next owner gets them again.
        }
        // After the handlers stopped: their last SubAfter records are in the buffer and get written now.
        if (_trace is not null) await _trace.DisposeAsync().ConfigureAwait(false);
        var queues = AssignedQueues;
        await _offsets!.PersistAsync(queues, CancellationToken.None).ConfigureAwait(false);
        if (IsOrderly && IsClustering) await UnlockAsync(queues, instance).ConfigureAwait(false);
        foreach (var queue in _queues.Values)
        {
            if (queue.PullLoop.IsCompleted && queue.ConsumeLoop.IsCompleted) queue.Dispose();
        }
        await instance.UnregisterClientAsync(null, _options.ConsumerGroup, CancellationToken.None).ConfigureAwait(false);
        await instance.ReleaseAsync().ConfigureAwait(false);
        _logger.ConsumerStopped(_options.ConsumerGroup);
    }

    void IClientMember.ContributeHeartbeat(HeartbeatData heartbeat)
    {
        var data = new ConsumerData
        {
            GroupName = _options.ConsumerGroup,
            ConsumeType = ConsumeType.ConsumePassively,
            MessageModel = _options.MessageModel,
            ConsumeFromWhere = _options.ConsumeFromWhere,
        };
        foreach (var subscription in _subscriptions.Values) data.SubscriptionDataSet.Add(subscription.ToData());
        heartbeat.ConsumerDataSet.Add(data);
    }

    void IClientMember.OnConsumerIdsChanged(string consumerGroup)
    {
        if (consumerGroup == _options.ConsumerGroup) _rebalanceNow.Set();
    }

    /// <summary>A batch waiting for a concurrent consume worker.</summary>
    private readonly record struct ConsumeRequest(ProcessQueue Queue, List<MessageExt> Messages);
}
