using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RaftMq.Chaos.History;
using RaftMq.Chaos.Workload;
using RaftMq.Client;
using RaftMq.Client.Consumer;
using RaftMq.Client.Producer;
using RaftMq.Protocol.Bodies;
using SendResult = RaftMq.Chaos.Workload.SendResult;

namespace RaftMq.Chaos.Wiring;

/// <summary>
/// <see cref="IQueueClient"/> over RaftMq.Client. One producer (no internal retries, so every history line is one
/// attempt) sends each key through <see cref="KeyQueueSelector"/>; every consumer id runs its own orderly push
/// consumer (own client instance, so the group really has that many members) in one clustering group. A transactional
/// client sends through a <see cref="TransactionProducer"/> instead (queues chosen by the producer, not by key).
/// </summary>
public sealed class RaftMqQueueClient : IQueueClient, IAsyncDisposable
{
    private readonly ChaosClientOptions _options;
    private readonly ILoggerFactory _loggers;
    private readonly MQProducer? _producer;
    private readonly TransactionProducer? _transactions;
    private int _started;

    public RaftMqQueueClient(ChaosClientOptions options, ILoggerFactory? loggers = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _loggers = loggers ?? NullLoggerFactory.Instance;
        if (options.Transactional)
        {
            _transactions = new TransactionProducer(ProducerOptions(options), new PlannedTransactions(), _loggers);
        }
        else
        {
            _producer = new MQProducer(ProducerOptions(options), _loggers);
        }
    }

    public static ProducerOptions ProducerOptions(ChaosClientOptions options) => new()
    {
        NameServerAddresses = [options.NameServerAddress],
        InstanceName = "chaos-producer",
        ProducerGroup = options.ProducerGroup,
        SendTimeout = options.SendTimeout,
        // the workload retries itself and records each attempt; a hidden client retry could write a second copy
        RetryTimesWhenSendFailed = 0,
        RetryBackoff = TimeSpan.Zero,
        RouteRefreshInterval = options.RouteRefreshInterval,
        HeartbeatInterval = options.HeartbeatInterval,
        RequestTimeout = options.RequestTimeout,
        CreateTopicKey = null,
    };

    public static PushConsumerOptions ConsumerOptions(ChaosClientOptions options, string consumerId) => new()
    {
        NameServerAddresses = [options.NameServerAddress],
        InstanceName = $"chaos-{consumerId}",
        ConsumerGroup = options.ConsumerGroup,
        MessageModel = MessageModel.Clustering,
        ConsumeFromWhere = ConsumeFromWhere.ConsumeFromFirstOffset,
        ConsumeBatchMaxSize = 8,
        RouteRefreshInterval = options.RouteRefreshInterval,
        HeartbeatInterval = options.HeartbeatInterval,
        RequestTimeout = options.RequestTimeout,
        RebalanceInterval = options.RebalanceInterval,
        LongPollingSuspend = options.LongPollingSuspend,
        PullTimeout = options.PullTimeout,
        PullRetryMaxBackoff = options.PullRetryMaxBackoff,
        PersistOffsetInterval = options.PersistOffsetInterval,
        ShutdownTimeout = TimeSpan.FromSeconds(5),
    };

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 1) == 0)
        {
            await (_transactions is null ? _producer!.StartAsync(cancellationToken) : _transactions.StartAsync(cancellationToken)).ConfigureAwait(false);
        }
    }

    public async Task<SendResult> SendAsync(ChaosMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var body = new Message(_options.Topic, message.Encode(PayloadSize), keys: message.PayloadId);
        try
        {
            if (message.Transaction != TransactionPlan.None)
            {
                var transactions = _transactions ?? throw new InvalidOperationException("a transactional payload needs ChaosClientOptions.Transactional");
                return SendOutcomes.FromTransaction(
                    await transactions.SendMessageInTransactionAsync(body, message.Transaction, cancellationToken).ConfigureAwait(false));
            }

            var result = _producer is not null
                ? await _producer.SendAsync(body, SelectByKey, message.Key, cancellationToken).ConfigureAwait(false)
                : await _transactions!.SendAsync(body, cancellationToken).ConfigureAwait(false);
            return SendOutcomes.FromResult(result);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            return SendOutcomes.FromException(e);
        }
    }

    /// <summary>Body size of sent messages (the workload's payload size; set before the run starts).</summary>
    public int PayloadSize { get; init; } = 128;

    public async Task ConsumeAsync(string consumerId, Func<ReceivedMessage, ValueTask> onMessage, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(onMessage);
        var consumer = new PushConsumer(ConsumerOptions(_options, consumerId), _loggers);
        await using (consumer.ConfigureAwait(false))
        {
            consumer.Subscribe(_options.Topic);
            await consumer.StartAsync(
                async (messages, _, _) =>
                {
                    foreach (var message in messages)
                    {
                        await onMessage(Decode(message)).ConfigureAwait(false);
                    }

                    return OrderlyConsumeResult.Success;
                },
                cancellationToken).ConfigureAwait(false);
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A delivered message as the history records it. A body the workload cannot have written (damaged, or from
    /// another producer) gets a payload id of its own, so the checker reports it as unexpected instead of it vanishing.
    /// </summary>
    public static ReceivedMessage Decode(MessageExt message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var position = new QueuePosition(message.BrokerName, message.QueueId, message.QueueOffset);
        return ChaosMessage.TryDecode(message.Body, out var decoded) && decoded is not null
            ? new ReceivedMessage(decoded.PayloadId, decoded.Key, decoded.Seq, position)
            : new ReceivedMessage($"{UndecodablePrefix}{position.Broker}/{position.QueueId}/{position.QueueOffset}", "", 0, position);
    }

    /// <summary>Payload id prefix of a delivered body that does not decode as a <see cref="ChaosMessage"/>.</summary>
    public const string UndecodablePrefix = "undecodable@";

    public async ValueTask DisposeAsync()
    {
        if (Volatile.Read(ref _started) != 0)
        {
            await (_transactions is null ? _producer!.DisposeAsync() : _transactions.DisposeAsync()).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The workload's local transactions: decide at once or leave it Unknown, as the payload's plan says. A check
    /// answers from the plan too, which is a pure function of the payload id carried in the body: the same answer from
    /// any process, as a database-backed listener would give.
    /// </summary>
    private sealed class PlannedTransactions : ITransactionListener
    {
        public LocalTransactionState ExecuteLocalTransaction(Message message, object? argument) => (TransactionPlan)argument! switch
        {
            TransactionPlan.Commit => LocalTransactionState.CommitMessage,
            TransactionPlan.Rollback => LocalTransactionState.RollbackMessage,
            _ => LocalTransactionState.Unknown,
        };

        public LocalTransactionState CheckLocalTransaction(MessageExt message)
        {
            if (!ChaosMessage.TryDecode(message.Body, out var decoded) || decoded is null)
            {
                return LocalTransactionState.Unknown;
            }

            return TransactionPlans.Commits(TransactionPlans.For(decoded.PayloadId))
                ? LocalTransactionState.CommitMessage
                : LocalTransactionState.RollbackMessage;
        }
    }

    private static MessageQueue SelectByKey(IReadOnlyList<MessageQueue> queues, Message message, object? key) =>
        KeyQueueSelector.Select(queues, (string)key!);
}
