using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RaftMq.Client.Instance;
using RaftMq.Client.Trace;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Messages;

namespace RaftMq.Client.Producer;

/// <summary>
/// Sends transactional messages (RocketMQ's TransactionMQProducer): <see cref="SendMessageInTransactionAsync"/> stores
/// a half message (invisible to consumers), runs the listener's local transaction, then tells the broker to commit
/// or roll back (END_TRANSACTION). When the broker never learns the outcome (Unknown, a crash, a lost END) it asks the
/// producer group with CHECK_TRANSACTION_STATE; every started TransactionProducer of the group answers such checks
/// through its listener, also for half messages another process sent. Also a plain producer (<see cref="SendAsync"/>).
/// </summary>
public sealed class TransactionProducer : IAsyncDisposable, IClientMember
{
    private readonly ProducerOptions _options;
    private readonly IAsyncTransactionListener _listener;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private ClientInstance? _instance;
    private MessageSender? _sender;
    private TransactionEnder? _ender;
    private TraceDispatcher? _trace;

    /// <summary>Creates a transaction producer with a synchronous listener; call <see cref="StartAsync"/> before sending.</summary>
    public TransactionProducer(ProducerOptions options, ITransactionListener listener, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
        : this(options, new SynchronousTransactionListener(listener ?? throw new ArgumentNullException(nameof(listener))), loggerFactory, timeProvider)
    {
    }

    /// <summary>Creates a transaction producer with an asynchronous listener; call <see cref="StartAsync"/> before sending.</summary>
    public TransactionProducer(ProducerOptions options, IAsyncTransactionListener listener, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(listener);
        options.Validate();
        _options = options;
        _listener = listener;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger<TransactionProducer>();
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The client id brokers see; available after start.</summary>
    public string ClientId => Instance.ClientId;

    /// <summary>The topics sent to, plus the auto-create template: as a Java producer, a transaction producer that has sent
    /// nothing yet knows the brokers from the template's route, heartbeats to them and so is asked about checks.</summary>
    IReadOnlyCollection<string> IClientMember.RouteTopics =>
        [.. (IEnumerable<string>?)_sender?.Topics.Keys ?? [], .. _options.CreateTopicKey is { } template ? [template] : Array.Empty<string>()];

    bool IClientMember.IsConsumer => false;

    private ClientInstance Instance => _instance ?? throw new InvalidOperationException("The producer is not started.");

    private MessageSender Sender => _sender ?? throw new InvalidOperationException("The producer is not started.");

    /// <summary>Joins the shared client instance, starts heartbeats for the group and begins answering checks.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_instance is not null) throw new InvalidOperationException("The producer is already started.");
        _instance = ClientInstance.Acquire(_options, _loggerFactory);
        var (trace, tracer) = MessageTracing.ForProducer(_instance, _options, _logger, _time);
        _trace = trace;
        _sender = new MessageSender(_instance, _options, _logger, _time, tracer);
        _ender = new TransactionEnder(_instance, _options, _listener, _logger, tracer);
        _instance.RegisterTransactionChecker(_options.ProducerGroup, _ender);
        if (_options.CreateTopicKey is { } template)
        {
            try
            {
                await _instance.RefreshRouteAsync(template, cancellationToken).ConfigureAwait(false); // brokers to heartbeat to at once
            }
            catch (MQException ex)
            {
                _logger.RouteRefreshFailed(template, ex.Message); // the periodic refresh tries again
            }
        }
        _instance.Register(this);
        _logger.ProducerStarted(_options.ProducerGroup, _instance.ClientId);
    }

    /// <summary>
    /// Stores <paramref name="message"/> as a half message, runs the local transaction with <paramref name="argument"/>
    /// and ends the transaction accordingly. A failed half-message send throws (nothing was stored, or the outcome is
    /// unknown); an exception of the local transaction counts as Unknown (the broker will check) and is logged.
    /// </summary>
    public async Task<TransactionSendResult> SendMessageInTransactionAsync(Message message, object? argument = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        // As RocketMQ's producer: a transactional message is never delayed, and names its group for checks.
        message.RemoveProperty(MessageProperty.DelayTimeLevel);
        message.SetProperty(MessageProperty.TransactionPrepared, "true");
        message.SetProperty(MessageProperty.ProducerGroup, _options.ProducerGroup);
        var wire = Sender.Prepare(message);
        wire = wire with { SysFlag = MessageSysFlag.ResetTransactionValue(wire.SysFlag, MessageSysFlag.TransactionPreparedType) };
        var sent = await Sender.SendAsync(wire, null, cancellationToken).ConfigureAwait(false);
        var state = LocalTransactionState.RollbackMessage;
        if (sent.Status == SendStatus.SendOk)
        {
            message.SetProperty(MessageProperty.TransactionId, sent.MsgId);
            state = await ExecuteLocalAsync(message, argument, sent, cancellationToken).ConfigureAwait(false);
        }
        string? error = await Ender.EndAsync(message, sent, state, cancellationToken).ConfigureAwait(false);
        return new TransactionSendResult { SendResult = sent, LocalTransactionState = state, EndTransactionError = error };
    }

    /// <summary>Sends an ordinary (non-transactional) message.</summary>
    public Task<SendResult> SendAsync(Message message, CancellationToken cancellationToken = default) =>
        Sender.SendAsync(Sender.Prepare(message), null, cancellationToken);

    private TransactionEnder Ender => _ender ?? throw new InvalidOperationException("The producer is not started.");

    private async Task<LocalTransactionState> ExecuteLocalAsync(Message message, object? argument, SendResult sent, CancellationToken cancellationToken)
    {
        try
        {
            return await _listener.ExecuteLocalTransactionAsync(message, argument, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _logger.LocalTransactionFailed(sent.MsgId, ex);
            return LocalTransactionState.Unknown;
        }
    }

    /// <summary>Stops answering checks, unregisters from the brokers and releases the shared client instance.</summary>
    public async ValueTask DisposeAsync()
    {
        var instance = Interlocked.Exchange(ref _instance, null);
        if (instance is null) return;
        instance.Unregister(this);
        instance.UnregisterTransactionChecker(_options.ProducerGroup);
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
