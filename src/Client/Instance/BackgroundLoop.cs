namespace RaftMq.Client.Instance;

/// <summary>Runs one piece of background work every interval (or earlier when signalled) until stopped.</summary>
internal static class BackgroundLoop
{
    public static Task Start(
        string name, TimeSpan interval, Signal? wakeUp, Func<CancellationToken, Task> work,
        Microsoft.Extensions.Logging.ILogger logger, CancellationToken stopping) =>
        Task.Run(async () =>
        {
            while (!stopping.IsCancellationRequested)
            {
                try
                {
                    if (wakeUp is null) await Task.Delay(interval, stopping).ConfigureAwait(false);
                    else await wakeUp.WaitAsync(interval, stopping).ConfigureAwait(false);
                    await work(stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stopping.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception ex)
                {
                    logger.BackgroundTaskFailed(name, ex);
                }
            }
        }, CancellationToken.None);
}
