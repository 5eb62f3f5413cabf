using Microsoft.Extensions.Logging;
using RaftMq.Foundation.Background;
using RaftMq.NameServer.Routing;

namespace RaftMq.NameServer;

/// <summary>Drops brokers that stopped registering: every scan interval, anything silent for longer than the
/// route table's expiry goes (RocketMQ's scanNotActiveBroker).</summary>
internal sealed class BrokerExpiryScanner
{
    private readonly RouteInfoManager _routes;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private BackgroundLoop? _loop;

    public BrokerExpiryScanner(RouteInfoManager routes, TimeSpan interval, TimeProvider time, ILogger logger)
    {
        _routes = routes;
        _interval = interval;
        _time = time;
        _logger = logger;
    }

    public void Start()
    {
        if (_loop is not null) throw new InvalidOperationException("The expiry scanner is already started.");
        _loop = BackgroundLoop.Start(
            new BackgroundLoopOptions { Name = "broker expiry scan", Period = _interval, TimeProvider = _time },
            _ =>
            {
                ScanOnce();
                return Task.CompletedTask;
            },
            _logger);
    }

    public async Task StopAsync()
    {
        if (_loop is null) return;
        await _loop.DisposeAsync().ConfigureAwait(false);
        _loop = null;
    }

    /// <summary>One scan; an exception is logged by the loop, which goes on (one bad scan must not end expiry).</summary>
    private void ScanOnce()
    {
        foreach (var removed in _routes.RemoveExpiredBrokers())
        {
            LogMessages.BrokerExpired(_logger, removed.ClusterName, removed.BrokerName, removed.BrokerAddress,
                (long)_routes.BrokerExpiry.TotalMilliseconds, removed.BrokerNameRemoved);
        }
    }
}
