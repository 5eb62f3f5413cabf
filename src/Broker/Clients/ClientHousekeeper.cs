using Microsoft.Extensions.Logging;
using RaftMq.Foundation.Background;

namespace RaftMq.Broker.Clients;

/// <summary>Background loop that drops client channels without heartbeat (RocketMQ ClientHousekeepingService).</summary>
public sealed class ClientHousekeeper : IAsyncDisposable
{
    private readonly ClientRegistry _registry;
    private readonly ConsumerIdsChangeNotifier _notifier;
    private readonly TimeSpan _interval;
    private readonly TimeSpan _expiry;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private BackgroundLoop? _loop;

    public ClientHousekeeper(ClientRegistry registry, ConsumerIdsChangeNotifier notifier, TimeSpan interval, TimeSpan expiry,
        TimeProvider time, ILogger logger)
    {
        _registry = registry;
        _notifier = notifier;
        _interval = interval;
        _expiry = expiry;
        _time = time;
        _logger = logger;
    }

    public void Start() => _loop = BackgroundLoop.Start(
        new BackgroundLoopOptions { Name = "client channel housekeeping", Period = _interval, TimeProvider = _time },
        _ =>
        {
            ScanOnce();
            return Task.CompletedTask;
        },
        _logger);

    /// <summary>One pass: drop idle channels and notify the groups that changed.</summary>
    public void ScanOnce()
    {
        var changed = _registry.RemoveExpired();
        if (changed.Count == 0) return;
        LogMessages.ChannelsExpired(_logger, _expiry, string.Join(", ", changed));
        _notifier.NotifyAll(changed);
    }

    public async Task StopAsync()
    {
        if (_loop is not null) await _loop.DisposeAsync().ConfigureAwait(false);
        _loop = null;
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);
}
