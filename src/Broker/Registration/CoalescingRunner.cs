namespace RaftMq.Broker.Registration;

/// <summary>
/// Runs an operation on demand, one run at a time, without piling up: every demand made while a run is in progress
/// joins the single run that starts after it. Each returned task completes when a run that started after the
/// demand finished, so the caller knows its demand saw the state of that moment.
/// </summary>
internal sealed class CoalescingRunner
{
    private readonly Func<CancellationToken, Task> _run;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private TaskCompletionSource? _next;
    private Task _draining = Task.CompletedTask;
    private bool _drainerActive;
    private bool _stopped;

    public CoalescingRunner(Func<CancellationToken, Task> run) => _run = run;

    /// <summary>Demands a run; completes at once once stopped.</summary>
    public Task RunAsync()
    {
        lock (_gate)
        {
            if (_stopped) return Task.CompletedTask;
            if (_next is not null) return _next.Task;
            _next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (!_drainerActive)
            {
                // The flag, not _draining.IsCompleted: a drainer that saw no demand may not have completed yet.
                _drainerActive = true;
                _draining = Task.Run(DrainAsync);
            }
            return _next.Task;
        }
    }

    /// <summary>Refuses further demands, cancels the run in progress and waits for it; waiting demands complete.</summary>
    public async Task StopAsync()
    {
        Task draining;
        lock (_gate)
        {
            _stopped = true;
            _next?.TrySetResult();
            _next = null;
            draining = _draining;
        }
        await _stopping.CancelAsync().ConfigureAwait(false);
        await draining.ConfigureAwait(false);
    }

    private async Task DrainAsync()
    {
        while (true)
        {
            TaskCompletionSource current;
            lock (_gate)
            {
                if (_next is null)
                {
                    _drainerActive = false;
                    return;
                }
                current = _next;
                _next = null;
            }
            try
            {
                await _run(_stopping.Token).ConfigureAwait(false);
                current.TrySetResult();
            }
            catch (Exception ex)
            {
                // The loop must survive a failed run: the next demand deserves its own attempt.
                current.TrySetException(ex);
            }
        }
    }
}
