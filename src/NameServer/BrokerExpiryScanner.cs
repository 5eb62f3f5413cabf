using Microsoft.Extensions.Logging;
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
    private CancellationTokenSource? _stopping;
    private Task _loop = Task.CompletedTask;

    public BrokerExpiryScanner(RouteInfoManager routes, TimeSpan interval, TimeProvider time, ILogger logger)
    {
        _routes = routes;
        _interval = interval;
        _time = time;
        _logger = logger;
    }

    public void Start()
    {
        if (_stopping is not null) throw new InvalidOperationException("The expiry scanner is already started.");
        _stopping = new CancellationTokenSource();
        var token = _stopping.Token;
        _loop = Task.Run(() => RunAsync(token), CancellationToken.None);
    }

    public async Task StopAsync()
    {
        if (_stopping is null) return;
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stopping.Dispose();
        _stopping = null;
    }

    private async Task RunAsync(CancellationToken token)
    {
        using var timer = new PeriodicTimer(_interval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(token).ConfigureAwait(false)) ScanOnce();
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
    }

    private void ScanOnce()
    {
        try
        {
            foreach (var removed in _routes.RemoveExpiredBrokers())
            {
                LogMessages.BrokerExpired(_logger, removed.ClusterName, removed.BrokerName, removed.BrokerAddress,
                    (long)_routes.BrokerExpiry.TotalMilliseconds, removed.BrokerNameRemoved);
            }
        }
        catch (Exception ex)
        {
            // One bad scan must not end expiry for the life of the process.
            LogMessages.ScanFailed(_logger, ex);
        }
    }
}
