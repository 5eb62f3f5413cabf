using Microsoft.Extensions.Logging;

namespace RaftMq.Broker.Store;

/// <summary>Background loop that flushes ConsumeQueue files and rewrites the checkpoint every interval.</summary>
internal sealed class CheckpointLoop
{
    private readonly Action _checkpoint;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _interval;
    private readonly ILogger _logger;
    private CancellationTokenSource? _stopping;
    private Task? _loop;

    public CheckpointLoop(Action checkpoint, TimeProvider timeProvider, TimeSpan interval, ILogger logger)
    {
        _checkpoint = checkpoint;
        _timeProvider = timeProvider;
        _interval = interval;
        _logger = logger;
    }

    public void Start()
    {
        _stopping = new CancellationTokenSource();
        _loop = RunAsync(_stopping.Token);
    }

    public async Task StopAsync()
    {
        if (_loop is null || _stopping is null) return;
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stopping.Dispose();
        _loop = null;
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_interval, _timeProvider, stopping).ConfigureAwait(false);
                _checkpoint();
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                _logger.CheckpointFailed(exception);
            }
        }
    }
}
