using Microsoft.Extensions.Logging;
using RaftMq.Broker.Acl;
using RaftMq.Broker.Clients;
using RaftMq.Broker.Processors.Admin;
using RaftMq.Broker.Processors.Consumer;
using RaftMq.Broker.Processors.Delay;
using RaftMq.Broker.Processors.Offsets;
using RaftMq.Broker.Processors.Pull;
using RaftMq.Broker.Processors.Query;
using RaftMq.Broker.Processors.Send;
using RaftMq.Broker.Processors.Transaction;
using RaftMq.Broker.Store;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Remoting;

namespace RaftMq.Broker.Processors;

/// <summary>
/// Every request processor of a broker, their shared client state, and their registration on a
/// <see cref="RemotingServer"/>: four processor groups (send, pull, client, admin), each with its own bounded queue
/// (a full queue answers SYSTEM_BUSY). Codes not registered here get REQUEST_CODE_NOT_SUPPORTED from the server.
/// </summary>
public sealed class BrokerProcessors : IAsyncDisposable
{
    private readonly IMessageStore _store;
    private readonly ProcessorOptions _options;
    private readonly ClientHousekeeper _housekeeper;
    private readonly ConsumerIdsChangeNotifier _notifier;
    private readonly SendMessageProcessor _send;
    private readonly PullMessageProcessor _pull;
    private readonly ConsumerOffsetProcessor _offsets;
    private readonly ClientManageProcessor _clientManage;
    private readonly SendBackProcessor _sendBack;
    private readonly QueryMessageProcessor _query;
    private readonly ConsumerCallProcessor _consumerCalls;
    private readonly AdminProcessor _admin;
    private readonly DelayDeliveryService _delay;
    private readonly TransactionMetrics _transactionMetrics;
    private readonly EndTransactionProcessor _endTransaction;
    private readonly TransactionCheckService _transactionCheck;
    private int _started;

    /// <param name="syncMaster">SYNC_MASTER (classic mode): the wait of a stored send for a slave; null otherwise.</param>
    public BrokerProcessors(IMessageStore store, ILeadershipControl leadership, ProcessorOptions options, TimeProvider time, ILoggerFactory loggers,
        ISlaveReplication? syncMaster = null)
    {
        options.Validate();
        _store = store;
        _options = options;
        var logger = loggers.CreateLogger("RaftMq.Broker.Processors");
        Stats = new BrokerStats(time, new BrokerMetrics(store, options.BrokerName));
        Clients = new ClientRegistry(time, options.ClientChannelExpiry);
        Locks = new QueueLockManager(time, options.QueueLockExpiry);
        Topics = new TopicManager(store, options, logger);
        Runtime = new RuntimeSettings(options.MaxSuspendTime, options.MaxSuspendedPulls);
        _notifier = new ConsumerIdsChangeNotifier(Clients, loggers.CreateLogger("RaftMq.Broker.Clients"));
        _housekeeper = new ClientHousekeeper(Clients, _notifier, options.ClientScanInterval, options.ClientChannelExpiry, time,
            loggers.CreateLogger("RaftMq.Broker.Clients"));
        _send = new SendMessageProcessor(store, Topics, options, Stats, time, logger, syncMaster);
        _pull = new PullMessageProcessor(store, Clients, options, Runtime, Stats, time, logger);
        _offsets = new ConsumerOffsetProcessor(store, options);
        _clientManage = new ClientManageProcessor(store, Topics, Clients, _notifier, Locks, options, time, logger);
        _sendBack = new SendBackProcessor(store, Topics, options, time, logger);
        _query = new QueryMessageProcessor(store, Clients);
        _consumerCalls = new ConsumerCallProcessor(store, Clients, options.BrokerName, logger);
        _delay = new DelayDeliveryService(store, options, time, logger);
        _transactionMetrics = new TransactionMetrics(() => store.PendingTransactions().Count);
        _endTransaction = new EndTransactionProcessor(store, options, time, logger, _transactionMetrics);
        _transactionCheck = new TransactionCheckService(store, Clients, Topics, options, time, logger, _transactionMetrics);
        _admin = new AdminProcessor(store, Topics, Clients, leadership, Stats, () => _pull.LongPolling.Count, options, time, logger);
    }

    public ClientRegistry Clients { get; }

    public QueueLockManager Locks { get; }

    /// <summary>The settings updateBrokerConfig may change while the node runs (initially those of <see cref="ProcessorOptions"/>).</summary>
    public RuntimeSettings Runtime { get; }

    public TopicManager Topics { get; }

    public BrokerStats Stats { get; }

    public LongPollingService LongPolling => _pull.LongPolling;

    /// <summary>Adds the processor groups and handlers to <paramref name="server"/> (before it starts) and follows
    /// its connections: a closed connection leaves every group at once. <paramref name="aclAdmin"/> (codes 50-54) is
    /// built by the host, which owns the ACL rules.</summary>
    public void RegisterOn(RemotingServer server, AclAdminProcessor? aclAdmin = null)
    {
        server.AddProcessorGroup(_options.SendGroup);
        server.AddProcessorGroup(_options.PullGroup);
        server.AddProcessorGroup(_options.ClientGroup);
        server.AddProcessorGroup(_options.AdminGroup);
        foreach (int code in (int[])[RequestCode.SendMessage, RequestCode.SendMessageV2, RequestCode.SendBatchMessage])
        {
            server.RegisterHandler(code, _send, _options.SendGroup.Name);
        }
        server.RegisterHandler(RequestCode.EndTransaction, _endTransaction, _options.SendGroup.Name);
        server.RegisterHandler(RequestCode.PullMessage, _pull, _options.PullGroup.Name);
        Register(server, ConsumerOffsetProcessor.Codes, _offsets, _options.ClientGroup.Name);
        Register(server, ClientManageProcessor.Codes, _clientManage, _options.ClientGroup.Name);
        server.RegisterHandler(RequestCode.ConsumerSendMsgBack, _sendBack, _options.ClientGroup.Name);
        Register(server, QueryMessageProcessor.Codes, _query, _options.ClientGroup.Name);
        Register(server, AdminProcessor.Codes, _admin, _options.AdminGroup.Name);
        Register(server, ConsumerCallProcessor.Codes, _consumerCalls, _options.AdminGroup.Name);
        if (aclAdmin is not null) Register(server, AclAdminProcessor.Codes, aclAdmin, _options.AdminGroup.Name);
        Stats.Metrics.ObserveConnections(() => server.ConnectionCount);
        server.ConnectionClosed += connection => _notifier.NotifyAll(Clients.RemoveConnection(connection.Id));
    }

    /// <summary>The leader's transaction check loop (tests drive a pass directly).</summary>
    public TransactionCheckService TransactionChecks => _transactionCheck;

    /// <summary>Starts long polling, client housekeeping, delay delivery and transaction checks.</summary>
    public void Start()
    {
        if (Interlocked.Exchange(ref _started, 1) != 0) return;
        _store.RoleChanged += OnRoleChanged;
        _pull.Start();
        _housekeeper.Start();
        _delay.Start();
        _transactionCheck.Start();
        Stats.StartDailyRecord();
    }

    /// <summary>Answers every parked pull and stops the background loops.</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _started, 2) != 1) return;
        _store.RoleChanged -= OnRoleChanged;
        await _transactionCheck.StopAsync().ConfigureAwait(false);
        _transactionMetrics.Dispose();
        await _delay.StopAsync().ConfigureAwait(false);
        await _housekeeper.StopAsync().ConfigureAwait(false);
        await _pull.StopAsync().ConfigureAwait(false);
        Stats.Dispose();
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    /// <summary>Locks live only on the leader; a demoted node forgets them so they cannot linger into a later term.</summary>
    private void OnRoleChanged(bool writable)
    {
        if (!writable) Locks.Clear();
    }

    private static void Register(RemotingServer server, IReadOnlyList<int> codes, IRemotingRequestHandler handler, string group)
    {
        foreach (int code in codes) server.RegisterHandler(code, handler, group);
    }
}
