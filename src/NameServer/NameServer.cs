using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging;
using RaftMq.Foundation.Configuration;
using RaftMq.NameServer.Acl;
using RaftMq.NameServer.Configuration;
using RaftMq.NameServer.Processing;
using RaftMq.NameServer.Routing;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Remoting;

namespace RaftMq.NameServer;

/// <summary>
/// One name server: the route table behind a remoting server, an expiry scan, and removal of a broker as soon as
/// the connection it registered on closes. Instances share nothing; brokers register with each of them.
/// </summary>
public sealed class NameServer : IAsyncDisposable
{
    private const string ClientRequestGroup = "namesrv-client";
    private const string DefaultGroup = "namesrv-default";

    private readonly NameServerOptions _options;
    private readonly ILogger _logger;
    private readonly RemotingServer _server;
    private readonly BrokerExpiryScanner _scanner;
    private readonly NameServerMetrics _metrics;
    private readonly NameServerAcl _acl;
    private int _state; // 0 created, 1 started, 2 stopped

    public NameServer(NameServerOptions options, ILogger? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _logger = logger ?? NullLogger.Instance;
        var time = timeProvider ?? TimeProvider.System;
        Routes = new RouteInfoManager(options.BrokerExpiry, time, options.MasterGapGrace);
        _scanner = new BrokerExpiryScanner(Routes, options.ScanInterval, time, _logger);
        _acl = new NameServerAcl(options, _logger, time);
        _server = new RemotingServer(new RemotingServerOptions
        {
            Authorizer = _acl.Authorizer,
            ListenEndPoint = options.ListenEndPoint,
            IdleTimeout = options.IdleTimeout,
            FrameReadTimeout = options.FrameReadTimeout,
            MaxPartialFrameBytes = options.PartialFrameBudgetBytes,
            DefaultGroup = new ProcessorGroupOptions(DefaultGroup, options.DefaultWorkers, options.RequestQueueCapacity),
            Diagnostics = diagnostic => RemotingDiagnosticsLog.Write(_logger, diagnostic),
            Tls = options.Tls.Server,
        });
        RegisterProcessors();
        _server.ConnectionClosed += OnConnectionClosed;
        _metrics = new NameServerMetrics(Routes, _server);
    }

    /// <summary>Every request code this name server serves.</summary>
    public IReadOnlyCollection<int> ServedCodes => _server.RegisteredCodes;

    /// <summary>The route table this server answers from.</summary>
    public RouteInfoManager Routes { get; }

    /// <summary>The bound endpoint (with the real port when configured with port 0); valid once started.</summary>
    public IPEndPoint LocalEndPoint => _server.LocalEndPoint;

    private string? _listening;

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0) throw new InvalidOperationException("The name server was already started.");
        foreach (var key in _options.UnrecognizedKeys) LogMessages.UnrecognizedKey(_logger, key, _options.Source);
        _acl.Start();
        try
        {
            await _server.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (System.Net.Sockets.SocketException e) when (e.SocketErrorCode == System.Net.Sockets.SocketError.AddressAlreadyInUse)
        {
            throw new ConfigException(NameServerKeys.ListenPort, _options.ListenPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                _options.Source, null, $"port {_options.ListenPort} is already in use on {_options.BindAddress} ({e.Message}); stop what holds it "
                + $"(`ss -ltnp 'sport = :{_options.ListenPort}'`) or set {NameServerKeys.ListenPort} to a free port below 32768", e);
        }
        _listening = LocalEndPoint.ToString();
        _scanner.Start();
        LogMessages.Started(_logger, _listening,
            (long)_options.ScanInterval.TotalMilliseconds, (long)_options.BrokerExpiry.TotalMilliseconds);
    }

    /// <summary>Stops the scan and the server (closing every connection). The route table is kept as it was.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _state, 2) != 1) return;
        // A start that failed to bind (port taken) left no endpoint: stopping must not throw over the real error.
        string endpoint = _listening ?? "(never listened)";
        await _scanner.StopAsync().ConfigureAwait(false);
        await _server.StopAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        _metrics.Dispose();
        await _acl.DisposeAsync().ConfigureAwait(false);
        LogMessages.Stopped(_logger, endpoint);
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    private void RegisterProcessors()
    {
        // Route queries get their own workers: a flood of client polls must not starve broker registrations.
        _server.AddProcessorGroup(new ProcessorGroupOptions(ClientRequestGroup, _options.ClientRequestWorkers, _options.RequestQueueCapacity));
        var routeQueries = new RouteQueryProcessor(Routes);
        _server.RegisterHandler(RequestCode.GetRouteInfoByTopic, routeQueries, ClientRequestGroup);
        _server.RegisterHandler(RequestCode.GetBrokerClusterInfo, routeQueries, DefaultGroup);
        _server.RegisterHandler(RequestCode.GetAllTopicListFromNameServer, routeQueries, DefaultGroup);

        var registrations = new BrokerRegistrationProcessor(Routes, _logger);
        _server.RegisterHandler(RequestCode.RegisterBroker, registrations, DefaultGroup);
        _server.RegisterHandler(RequestCode.UnregisterBroker, registrations, DefaultGroup);
        _server.RegisterHandler(RequestCode.QueryDataVersion, registrations, DefaultGroup);

        var topicAdmin = new TopicAdminProcessor(Routes, (topic, cluster, brokers) =>
            LogMessages.TopicDeleted(_logger, topic, string.IsNullOrEmpty(cluster) ? "(all)" : cluster, brokers.Count == 0 ? "none" : string.Join(",", brokers)),
            (brokerName, change, topics, address) => LogMessages.WritePermChanged(_logger, brokerName, change, topics, address));
        foreach (int code in TopicAdminProcessor.Codes) _server.RegisterHandler(code, topicAdmin, DefaultGroup);

        var config = new ConfigProcessor(_options);
        foreach (int code in ConfigProcessor.Codes) _server.RegisterHandler(code, config, DefaultGroup);
    }

    private void OnConnectionClosed(RemotingConnection connection)
    {
        // Stopping closes every connection; the table is not ours to empty then.
        if (Volatile.Read(ref _state) != 1) return;
        foreach (var removed in Routes.OnConnectionClosed(connection.Id))
        {
            LogMessages.BrokerRemoved(_logger, removed.ClusterName, removed.BrokerName, removed.BrokerAddress, removed.Reason, removed.BrokerNameRemoved);
        }
    }
}
