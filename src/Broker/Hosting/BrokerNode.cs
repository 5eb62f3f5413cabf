using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;
using RaftMq.Broker.Forwarding;
using RaftMq.Broker.Acl;
using RaftMq.Broker.Processors;
using RaftMq.Broker.Store;
using RaftMq.Consensus;
using RaftMq.Consensus.Configuration;
using RaftMq.Consensus.Core;
using RaftMq.Foundation.Configuration;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Remoting;

namespace RaftMq.Broker.Hosting;

/// <summary>
/// Composition root of one broker node: from one broker.conf it builds the message store, the Raft node that
/// applies to it, the request processors on a remoting server at <c>listenPort</c>, and the name-server registrar,
/// and re-registers at once on every role change (brokerId 0 while this node is the writable leader).
/// Start order: store, log, processors, server, registrar; stop in reverse. <see cref="Create"/> builds the real
/// components; the executable only parses its arguments, loads the configuration and runs the node.
/// </summary>
public sealed partial class BrokerNode : IAsyncDisposable
{
    private readonly BrokerNodeConfiguration _config;
    private readonly BrokerNodeWiring _wiring;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private StoreBinding? _store;
    private ReplicatedLogBinding? _log;
    private BrokerProcessors? _processors;
    private BrokerAcl? _acl;
    private RemotingServer? _server;
    private INameServerRegistrar? _registrar;
    private ForwardingOptions? _forwarding;
    private LeaderForwarder? _forwarder;
    private SystemTopicProvisioner? _systemTopics;
    private readonly HandOverWatch _handOver = new();
    private ReplicatedLogLeadership? _leadership;
    private MasterSlave.SlaveJoiner? _slaveJoiner;

    /// <summary>After a hand-over at stop: how long no forwarded request must arrive, and the most to wait for that.</summary>
    private static readonly TimeSpan DrainQuiet = TimeSpan.FromMilliseconds(300);
    private static readonly TimeSpan DrainLimit = TimeSpan.FromSeconds(2);
    private int _state;

    private readonly TaskCompletionSource<string> _halted = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Builds a broker node from a loaded broker.conf (see <see cref="BrokerNodeConfiguration.Load"/>); nothing
    /// opens or binds until <see cref="StartAsync"/>.</summary>
    public static BrokerNode Create(BrokerNodeConfiguration config, ILoggerFactory loggers, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(loggers);
        return new BrokerNode(config, BrokerNodeWiring.Production, loggers, time);
    }

    internal BrokerNode(BrokerNodeConfiguration config, BrokerNodeWiring wiring, ILoggerFactory loggers, TimeProvider? time = null)
    {
        _config = config;
        _wiring = wiring;
        _loggers = loggers;
        _logger = loggers.CreateLogger<BrokerNode>();
        _time = time ?? TimeProvider.System;
    }

    /// <summary>
    /// Completes with the reason when the node's Raft log halts (its log cannot be written, or its core found a broken
    /// invariant): the node then no longer takes part in the group, and the process should stop with an error so that
    /// a supervisor or an operator notices. It never completes for a node that keeps running or stops cleanly.
    /// </summary>
    public Task<string> Halted => _halted.Task;

    /// <summary>The client-facing endpoint (real port when <c>listenPort=0</c>); valid after start.</summary>
    public IPEndPoint ListenEndPoint => _server?.LocalEndPoint ?? throw new InvalidOperationException("Broker node not started.");

    /// <summary>The processors and their client state; valid after start.</summary>
    public BrokerProcessors Processors => _processors ?? throw new InvalidOperationException("Broker node not started.");

    /// <summary>The broker id registered right now: 0 while writable leader, else the follower id (§15).</summary>
    public long CurrentBrokerId => _config.Broker.Role is not null ? _config.Broker.BrokerId
        : _store?.Store.IsWritable == true ? 0 : FollowerBrokerId(_config.Consensus);

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0) throw new InvalidOperationException("Broker node already started.");
        try
        {
            await StartComponentsAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // Undo what did start (ports, loops, files) so a failed start leaves nothing behind.
            await StopAsync(CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    private async Task StartComponentsAsync(CancellationToken cancellationToken)
    {
        var (store, log) = _wiring.CreateStorage(_config, _loggers);
        if (log.CorruptionAtOpen is { } corruption)
        {
            await log.StopAsync(cancellationToken).ConfigureAwait(false); // never started: closes the files, writes nothing
            throw new CorruptLogException(
                $"its Raft log is CORRUPT ({corruption}). Nothing was started and nothing on disk was changed; " +
                "repair the node as docs/operations/corrupt-log.md says");
        }
        _store = store;
        _log = log;
        if (log.Halted is { } halted) _ = ReportHaltAsync(halted);
        await _store.StartAsync(cancellationToken).ConfigureAwait(false);
        await StartReplicatedLogAsync(_log, cancellationToken).ConfigureAwait(false);
        var leadership = _leadership = new ReplicatedLogLeadership(_log.Log, _handOver, _time);
        var processorOptions = ProcessorOptions();
        _processors = new BrokerProcessors(_store.Store, leadership, processorOptions, _time, _loggers, SyncMaster(_log.Log));
        _acl = new BrokerAcl(_store.Store, _config.Broker.Acl, _time, _loggers.CreateLogger("RaftMq.Broker.Acl"));
        _server = new RemotingServer(new RemotingServerOptions
        {
            ListenEndPoint = new IPEndPoint(_config.Broker.BindAddress, _config.Broker.ListenPort),
            IdleTimeout = _config.Broker.ServerIdleTimeout,
            FrameReadTimeout = _config.Broker.ServerFrameReadTimeout,
            MaxPartialFrameBytes = _config.Broker.ServerPartialFrameBudgetBytes,
            Diagnostics = OnRemotingEvent,
            Authorizer = _acl.Authorizer,
            Tls = _config.Broker.Tls.Server,
        });
        _processors.RegisterOn(_server, new AclAdminProcessor(_acl, _store.Store, processorOptions, _loggers.CreateLogger("RaftMq.Broker.Acl")));
        RegisterBrokerConfig(_server, _processors, processorOptions);
        AddForwarding(_server, _store.Store, leadership);
        _processors.Start();
        _acl.Start();
        await StartServerAsync(_server, cancellationToken).ConfigureAwait(false);
        _registrar = _wiring.CreateRegistrar(_config, DescribeRegistration, _loggers);
        _store.Store.RoleChanged += OnRoleChanged;
        _log.Log.StateChanged += OnStateChanged;
        _processors.Topics.TopicsChanged += RegisterNow;
        await _registrar.StartAsync(cancellationToken).ConfigureAwait(false);
        StartSlaveJoiner(_log.Log);
        var broker = _config.Broker;
        _systemTopics = new SystemTopicProvisioner(_processors.Topics, _store.Store, SystemTopicProvisioner.RocketMqDefaults(broker.ClusterName, broker.BrokerName,
            broker.ClusterTopicEnable, broker.BrokerTopicEnable, broker.TraceTopicEnable ? broker.MsgTraceTopicName : null), _logger, _time);
        EnsureSystemTopics(); // the node may have become leader before it subscribed to role changes
        // Warn only now: every component had its chance to read its keys from the file.
        _config.File.LogIgnoredEntries(_logger);
        LogMessages.Started(_logger, _config.Broker.BrokerName, _config.Consensus.SelfId, _config.Broker.ClusterName,
            _server.LocalEndPoint.ToString(), _config.Broker.AnnouncedAddress);
    }

    private async Task ReportHaltAsync(Task<string> halted) =>
        _halted.TrySetResult($"the Raft node halted: {await halted.ConfigureAwait(false)}");

    /// <summary>A taken client port is a configuration problem: one line naming the port, its key and what to do.</summary>
    private async Task StartServerAsync(RemotingServer server, CancellationToken cancellationToken)
    {
        try
        {
            await server.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (System.Net.Sockets.SocketException e) when (e.SocketErrorCode == System.Net.Sockets.SocketError.AddressAlreadyInUse)
        {
            int port = _config.Broker.ListenPort;
            throw new ConfigException(BrokerKeys.ListenPort, port.ToString(System.Globalization.CultureInfo.InvariantCulture), _config.Broker.SourceFile, null,
                $"port {port} is already in use on {_config.Broker.BindAddress} ({e.Message}); stop what holds it (`ss -ltnp 'sport = :{port}'`) "
                + $"or set {BrokerKeys.ListenPort} to a free port below 32768", e);
        }
    }

    /// <summary>A taken Raft port is a configuration problem too: it is this node's entry in dLegerPeers.</summary>
    private async Task StartReplicatedLogAsync(ReplicatedLogBinding log, CancellationToken cancellationToken)
    {
        try
        {
            await log.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (System.Net.Sockets.SocketException e) when (e.SocketErrorCode == System.Net.Sockets.SocketError.AddressAlreadyInUse)
        {
            var consensus = _config.Consensus;
            var self = consensus.Peers.Find(consensus.SelfId)!;
            string port = self.Port.ToString(CultureInfo.InvariantCulture);
            throw new ConfigException(ConsensusKeys.Peers, self.ToString(), consensus.SourceFile ?? _config.Broker.SourceFile, null,
                $"the Raft port {port} of {consensus.SelfId} (its entry in {ConsensusKeys.Peers}) is already in use on {self.Host} ({e.Message}); " +
                $"stop what holds it (`ss -ltnp 'sport = :{port}'`) or give {consensus.SelfId} a free port below 32768 in {ConsensusKeys.Peers} " +
                "of every node of the group (the peers lists must stay identical)", e);
        }
    }

    /// <summary>Codes 25/26 answer from this node's configuration; the host owns it, so it registers them.</summary>
    private void RegisterBrokerConfig(RemotingServer server, BrokerProcessors processors, ProcessorOptions processorOptions)
    {
        var handler = new BrokerConfigProcessor(_config, processors.Runtime, _logger);
        foreach (int code in BrokerConfigProcessor.Codes) server.RegisterHandler(code, handler, processorOptions.AdminGroup.Name);
    }

    /// <summary>Puts the forwarding layer in front of every leader-only processor (docs/design/broker-processors.md).</summary>
    private void AddForwarding(RemotingServer server, IMessageStore store, ReplicatedLogLeadership leadership)
    {
        _forwarding = _config.Forwarding;
        _forwarder = new LeaderForwarder(_forwarding, _config.Broker.NameServerAddresses, _config.Broker.BrokerName,
            _config.Broker.AnnouncedAddress, _loggers.CreateLogger("RaftMq.Broker.Forwarding"), _config.Broker.Tls.Client);
        foreach (int code in ForwardingHandler.ForwardedCodes)
        {
            server.WrapHandler(code, local => new ForwardingHandler(local, store, leadership, _forwarder, _handOver));
        }
        server.WrapHandler(RaftMq.Protocol.Codes.RequestCode.PullMessage, local => new PullOffsetForwarding(local, store, leadership, _forwarder));
    }

    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        bool handedOver = false;
        if (Volatile.Read(ref _state) == 1 && _registrar is not null && _log is not null && _forwarding is not null)
        {
            // Still serving while it hands over: writes that arrive meanwhile are held, then forwarded to the successor.
            var handOver = new LeaderHandOver(_log.Log, _config.Consensus.Peers.Ids, _handOver, _loggers.CreateLogger("RaftMq.Broker.Forwarding"));
            handedOver = await handOver.RunAsync(_forwarding.HandOverOnStop, cancellationToken).ConfigureAwait(false);
        }
        if (Interlocked.CompareExchange(ref _state, 2, 1) != 1) return;
        if (_store is not null) _store.Store.RoleChanged -= OnRoleChanged;
        if (_log is not null) _log.Log.StateChanged -= OnStateChanged;
        _leadership?.Dispose();
        if (_processors is not null) _processors.Topics.TopicsChanged -= RegisterNow;
        if (_slaveJoiner is not null) await _slaveJoiner.DisposeAsync().ConfigureAwait(false);
        if (_registrar is not null) await _registrar.StopAsync(cancellationToken).ConfigureAwait(false);
        // Clients still routed here get their forwarded answers (and the route hint) before the connections close.
        if (handedOver && _forwarder is not null) await _forwarder.WaitIdleAsync(DrainQuiet, DrainLimit).ConfigureAwait(false);
        if (_server is not null) await _server.StopAsync().ConfigureAwait(false);
        if (_processors is not null) await _processors.StopAsync().ConfigureAwait(false);
        if (_forwarder is not null) await _forwarder.DisposeAsync().ConfigureAwait(false);
        if (_acl is not null) await _acl.DisposeAsync().ConfigureAwait(false);
        if (_log is not null) await _log.StopAsync(cancellationToken).ConfigureAwait(false);
        if (_store is not null) await _store.StopAsync(cancellationToken).ConfigureAwait(false);
        LogMessages.Stopped(_logger, _config.Broker.BrokerName, _config.Consensus.SelfId);
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    /// <summary>
    /// The id a follower registers with, as RocketMQ derives it in DLedger mode: the numeric suffix of
    /// <c>dLegerSelfId</c> plus one (n0 -> 1, n1 -> 2); without digits, the position in <c>dLegerPeers</c> plus one.
    /// </summary>
    public static long FollowerBrokerId(ConsensusOptions consensus)
    {
        string id = consensus.SelfId;
        int start = id.Length;
        while (start > 0 && char.IsAsciiDigit(id[start - 1])) start--;
        if (start < id.Length && long.TryParse(id.AsSpan(start), NumberStyles.None, CultureInfo.InvariantCulture, out long suffix))
        {
            return Math.Max(1, suffix + 1);
        }
        var ids = consensus.Peers.Ids;
        for (int i = 0; i < ids.Count; i++)
        {
            if (ids[i] == id) return i + 1;
        }
        return 1;
    }

    private BrokerRegistration DescribeRegistration()
    {
        var store = _store!.Store;
        return new BrokerRegistration(_config.Broker.ClusterName, _config.Broker.BrokerName, CurrentBrokerId,
            _config.Broker.AnnouncedAddress, WithAutoCreateTemplate(store.Topics), _log?.Log.State.Term ?? 0)
        {
            HaServerAddress = _config.Consensus.Classic is not null ? _config.Consensus.Peers.Find(_config.Consensus.SelfId)!.Endpoint : null,
        };
    }

    /// <summary>
    /// With autoCreateTopicEnable, RocketMQ brokers announce the TBW102 template topic so that clients can route a first
    /// send to a topic nobody created yet (the broker then creates it). The template is announced, never stored.
    /// </summary>
    private IReadOnlyCollection<TopicConfig> WithAutoCreateTemplate(IReadOnlyCollection<TopicConfig> topics)
    {
        const string template = RaftMq.Protocol.Messages.SystemNames.AutoCreateTopicKeyTopic;
        if (!_config.Broker.AutoCreateTopicEnable || topics.Any(t => t.Name == template)) return topics;
        int queues = _config.Broker.DefaultTopicQueueNums;
        const int inheritReadWrite = 1 | PermName.ReadWrite;
        return [.. topics, new TopicConfig(template, queues, queues, inheritReadWrite)];
    }

    private void OnRoleChanged(bool writable)
    {
        LogMessages.RoleChanged(_logger, writable, CurrentBrokerId);
        RegisterNow();
        if (writable) EnsureSystemTopics();
    }

    /// <summary>Fire and forget: the provisioner retries while this node stays leader and logs every attempt.</summary>
    private void EnsureSystemTopics()
    {
        if (_systemTopics is not { } provisioner || Volatile.Read(ref _state) != 1) return;
        _ = provisioner.EnsureAsync(CancellationToken.None).ContinueWith(
            static (task, state) => LogMessages.SystemTopicsFailed((ILogger)state!, task.Exception!.GetBaseException()),
            _logger, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
    }

    private void OnStateChanged(SoftState state) => RegisterNow();

    /// <summary>Fire and forget: the registrar coalesces concurrent demands and never throws for an unreachable name server.</summary>
    private void RegisterNow()
    {
        var registrar = _registrar;
        if (registrar is null || Volatile.Read(ref _state) != 1) return;
        _ = registrar.RegisterNowAsync().ContinueWith(
            static (task, state) => LogMessages.RegisterFailed((ILogger)state!, task.Exception!.GetBaseException()),
            _logger, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
    }

    private void OnRemotingEvent(RemotingDiagnosticEvent e)
    {
        bool problem = e.Kind is RemotingDiagnosticKind.MalformedFrame or RemotingDiagnosticKind.HandlerFailed
            or RemotingDiagnosticKind.SystemBusy or RemotingDiagnosticKind.AcceptFailed or RemotingDiagnosticKind.SendFailed
            or RemotingDiagnosticKind.TlsRefused;
        if (problem) LogMessages.RemotingProblem(_logger, e.Kind.ToString(), e.ConnectionId, e.RemoteAddress, e.Message, e.Exception);
        else LogMessages.RemotingEvent(_logger, e.Kind.ToString(), e.ConnectionId, e.RemoteAddress, e.Message);
    }

    /// <summary>The processors' options; pending half messages are copied forward well before retention could reach them.</summary>
    /// <summary>Under SYNC_FLUSH every entry a replica applied is durable on a majority, so followers may serve pulls.</summary>
    private Processors.ProcessorOptions ProcessorOptions() =>
        _config.Broker.ToProcessorOptions() with
        {
            HalfMessageRefreshAge = TimeSpan.FromHours(_config.Consensus.FileReservedHours) / 2,
            // A classic slave serves pulls whatever the flush type, as RocketMQ's slaves do.
            FollowersServePulls = _config.Consensus.FlushDiskType == FlushDiskType.SyncFlush || _config.Broker.Role == BrokerRole.Slave,
        };
}
