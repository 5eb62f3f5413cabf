using System.Globalization;
using Microsoft.Extensions.Logging;
using RaftMq.Client;
using RaftMq.Client.Admin;
using RaftMq.Client.Consumer;
using RaftMq.Client.Producer;
using RaftMq.Protocol;
using RaftMq.Protocol.Remoting;

namespace RaftMq.Dashboard.Cluster;

/// <summary>
/// The dashboard's only way into the cluster: one admin client, and a producer and a pull consumer created on first use
/// (test messages, resends, time-range queries), all sharing one client instance. The cluster overview is cached for
/// <see cref="DashboardOptions.ClusterRefreshInterval"/> so any number of open pages cost one round per interval.
/// </summary>
public sealed class ClusterGateway : IAsyncDisposable
{
    /// <summary>Producer group of test messages and resends.</summary>
    public const string ProducerGroup = "RAFTMQ_DASHBOARD_PRODUCER";

    /// <summary>Group of the pull consumer behind time-range queries; it never commits offsets.</summary>
    public const string QueryConsumerGroup = "RAFTMQ_DASHBOARD_QUERY";

    private readonly DashboardOptions _options;
    private readonly ILoggerFactory _loggers;
    private readonly string _instanceName = string.Create(CultureInfo.InvariantCulture, $"raftmq-dashboard-{Environment.ProcessId}-{Guid.NewGuid():N}");
    private readonly SemaphoreSlim _lazyStart = new(1, 1);
    private readonly SemaphoreSlim _clusterRead = new(1, 1);
    private MQProducer? _producer;
    private PullConsumer? _pullConsumer;
    private (DateTimeOffset At, IReadOnlyList<BrokerNodeInfo> Nodes)? _cachedNodes;

    public ClusterGateway(DashboardOptions options, LeaderWatch leaders, ILoggerFactory loggers)
    {
        _options = options;
        _loggers = loggers;
        Leaders = leaders;
        Admin = new MQAdminClient(new AdminOptions
        {
            NameServerAddresses = options.NameServerAddresses, InstanceName = _instanceName, Credentials = options.Credentials, Tls = options.Tls,
        }, loggers);
        ConsumerConnections = new ConsumerConnections(Admin, options.SampleInterval, TimeProvider.System);
    }

    /// <summary>Consumer groups' members, type and mode, cached per sample interval.</summary>
    public ConsumerConnections ConsumerConnections { get; }

    public MQAdminClient Admin { get; }

    public LeaderWatch Leaders { get; }

    public IReadOnlyList<string> NameServers => _options.NameServerAddresses;

    public Task StartAsync(CancellationToken cancellationToken) => Admin.StartAsync(cancellationToken);

    /// <summary>Every broker node with its runtime info; at most one round to the cluster per refresh interval.</summary>
    public async Task<IReadOnlyList<BrokerNodeInfo>> GetNodesAsync(CancellationToken cancellationToken)
    {
        await _clusterRead.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = DateTimeOffset.UtcNow;
            if (_cachedNodes is { } cached && now - cached.At < _options.ClusterRefreshInterval) return cached.Nodes;
            var nodes = await Admin.GetClusterInfoAsync(cancellationToken).ConfigureAwait(false);
            Leaders.Observe(nodes, now);
            _cachedNodes = (now, nodes);
            return nodes;
        }
        finally
        {
            _clusterRead.Release();
        }
    }

    /// <summary>Drops the cached overview (after an action that changes it, such as a leadership transfer).</summary>
    public void Invalidate() => _cachedNodes = null;

    public async Task<MQProducer> ProducerAsync(CancellationToken cancellationToken)
    {
        if (_producer is { } started) return started;
        await _lazyStart.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_producer is null)
            {
                // No auto-creation: a test message to a mistyped topic must fail, not create it.
                var producer = new MQProducer(new ProducerOptions
                {
                    NameServerAddresses = _options.NameServerAddresses, InstanceName = _instanceName, ProducerGroup = ProducerGroup, CreateTopicKey = null,
                    Credentials = _options.Credentials, Tls = _options.Tls,
                }, _loggers);
                await producer.StartAsync(cancellationToken).ConfigureAwait(false);
                _producer = producer;
            }
            return _producer;
        }
        finally
        {
            _lazyStart.Release();
        }
    }

    public async Task<PullConsumer> PullConsumerAsync(CancellationToken cancellationToken)
    {
        if (_pullConsumer is { } started) return started;
        await _lazyStart.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_pullConsumer is null)
            {
                var consumer = new PullConsumer(new PullConsumerOptions
                {
                    NameServerAddresses = _options.NameServerAddresses, InstanceName = _instanceName, ConsumerGroup = QueryConsumerGroup,
                    Credentials = _options.Credentials, Tls = _options.Tls,
                }, _loggers);
                await consumer.StartAsync(cancellationToken).ConfigureAwait(false);
                _pullConsumer = consumer;
            }
            return _pullConsumer;
        }
        finally
        {
            _lazyStart.Release();
        }
    }

    /// <summary>Failures that mean "the cluster (or part of it) cannot be reached or refused", shown as such, never as a stack trace.</summary>
    public static bool IsClusterFailure(Exception ex) =>
        ex is MQException or RemotingException or RemotingProtocolException or TimeoutException or IOException
            or System.Net.Sockets.SocketException;

    public async ValueTask DisposeAsync()
    {
        if (_producer is not null) await _producer.DisposeAsync().ConfigureAwait(false);
        if (_pullConsumer is not null) await _pullConsumer.DisposeAsync().ConfigureAwait(false);
        await Admin.DisposeAsync().ConfigureAwait(false);
        _lazyStart.Dispose();
        _clusterRead.Dispose();
    }
}
