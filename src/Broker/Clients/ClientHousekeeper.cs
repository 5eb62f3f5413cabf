using Microsoft.Extensions.Logging;

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
    private readonly CancellationTokenSource _stopping = new();
    private Task _loop = Task.CompletedTask;

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

    public void Start() => _loop = Task.Run(RunAsync);

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
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    private async Task RunAsync()
    {
        using var timer = new PeriodicTimer(_interval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token).ConfigureAwait(false))
            {
                try
                {
                    ScanOnce();
                }
                catch (Exception ex)
                {
                    LogMessages.HousekeepingFailed(_logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
    }
}
