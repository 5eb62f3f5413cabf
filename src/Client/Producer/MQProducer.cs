using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RaftMq.Client.Instance;
using RaftMq.Client.Trace;
using RaftMq.Protocol.Bodies;

namespace RaftMq.Client.Producer;

/// <summary>Picks the queue for an ordered message from the topic's writable queues (e.g. by order id).</summary>
public delegate MessageQueue MessageQueueSelector(IReadOnlyList<MessageQueue> queues, Message message, object? argument);

/// <summary>
/// Sends messages to RaftMq (or any RocketMQ 4.x broker). Thread-safe; one producer serves the whole process.
/// <list type="bullet">
/// <item>Synchronous send: <c>await producer.SendAsync(message)</c>.</item>
/// <item>Asynchronous send: keep the returned task and await it later (many may be in flight).</item>
/// <item>Oneway: <see cref="SendOnewayAsync"/> returns once the request is written.</item>
/// </list>
/// Failed sends are retried on another queue (another broker group when there is one) and the topic route is
/// refreshed at once when a broker is not the master or refuses the connection. A send whose request went out but
/// got no answer throws <see cref="SendOutcomeUnknownException"/> and is not retried. Transactional messages are not
/// supported by this client.
/// </summary>
public sealed class MQProducer : IAsyncDisposable, IClientMember
{
    private readonly ProducerOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private ClientInstance? _instance;
    private MessageSender? _sender;
    private TraceDispatcher? _trace;

    /// <summary>Creates a producer; call <see cref="StartAsync"/> before sending.</summary>
    public MQProducer(ProducerOptions options, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger<MQProducer>();
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The client id brokers see ("ip@instanceName"); available after start.</summary>
    public string ClientId => Instance.ClientId;

    IReadOnlyCollection<string> IClientMember.RouteTopics => (IReadOnlyCollection<string>?)_sender?.Topics.Keys ?? [];

    bool IClientMember.IsConsumer => false;

    private ClientInstance Instance => _instance ?? throw new InvalidOperationException("The producer is not started.");

    private MessageSender Sender => _sender ?? throw new InvalidOperationException("The producer is not started.");

    /// <summary>Counts of this producer's trace records; null unless <see cref="ProducerOptions.EnableMsgTrace"/>.</summary>
    public TraceStatistics? TraceStatistics => _trace?.Statistics;

    /// <summary>Joins the shared client instance and starts heartbeats for the producer group.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_instance is not null) throw new InvalidOperationException("The producer is already started.");
        _instance = ClientInstance.Acquire(_options, _loggerFactory);
        var (trace, tracer) = MessageTracing.ForProducer(_instance, _options, _logger, _time);
        _trace = trace;
        _sender = new MessageSender(_instance, _options, _logger, _time, tracer);
        _instance.Register(this);
        _logger.ProducerStarted(_options.ProducerGroup, _instance.ClientId);
        return Task.CompletedTask;
    }

    /// <summary>Sends one message, letting the producer pick the queue; retries on failure.</summary>
    public Task<SendResult> SendAsync(Message message, CancellationToken cancellationToken = default) =>
        Sender.SendAsync(Sender.Prepare(message), null, cancellationToken);

    /// <summary>Sends one message to a specific queue (no queue change on retry; only a refreshed master).</summary>
    public Task<SendResult> SendAsync(Message message, MessageQueue queue, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queue);
        return Sender.SendAsync(Sender.Prepare(message), _ => queue, cancellationToken);
    }

    /// <summary>
    /// Sends an ordered message: <paramref name="selector"/> chooses the queue (for example
    /// <c>queues[orderId % queues.Count]</c>), so messages with the same argument share a queue and keep their order.
    /// </summary>
    public Task<SendResult> SendAsync(
        Message message, MessageQueueSelector selector, object? argument, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(selector);
        return Sender.SendAsync(Sender.Prepare(message), queues => selector(queues, message, argument), cancellationToken);
    }

    /// <summary>Sends several messages of one topic in a single request; they land in one queue, in order.</summary>
    public Task<SendResult> SendBatchAsync(IEnumerable<Message> messages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return Sender.SendAsync(Sender.PrepareBatch(messages.ToList()), null, cancellationToken);
    }

    /// <summary>Sends without waiting for the broker's answer: fastest, but a lost message goes unnoticed.</summary>
    public Task SendOnewayAsync(Message message, CancellationToken cancellationToken = default) =>
        Sender.SendOnewayAsync(Sender.Prepare(message), null, cancellationToken);

    /// <summary>The topic's writable queues as the producer sees them (for custom selection).</summary>
    public async Task<IReadOnlyList<MessageQueue>> FetchPublishQueuesAsync(string topic, CancellationToken cancellationToken = default) =>
        (await Sender.GetPublishRouteAsync(topic, cancellationToken).ConfigureAwait(false)).WritableQueues;

    /// <summary>Unregisters from the brokers and releases the shared client instance.</summary>
    public async ValueTask DisposeAsync()
    {
        var instance = Interlocked.Exchange(ref _instance, null);
        if (instance is null) return;
        instance.Unregister(this);
        if (_trace is not null) await _trace.DisposeAsync().ConfigureAwait(false);
        await instance.UnregisterClientAsync(_options.ProducerGroup, null, CancellationToken.None).ConfigureAwait(false);
        await instance.ReleaseAsync().ConfigureAwait(false);
        _logger.ProducerStopped(_options.ProducerGroup);
    }

    void IClientMember.ContributeHeartbeat(HeartbeatData heartbeat) =>
        heartbeat.ProducerDataSet.Add(new ProducerData { GroupName = _options.ProducerGroup });

    void IClientMember.OnConsumerIdsChanged(string consumerGroup)
    {
    }
}
