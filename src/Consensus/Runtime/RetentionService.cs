using Microsoft.Extensions.Logging;

namespace RaftMq.Consensus.Runtime;

/// <summary>
/// Schedules retention: every check interval it asks whether deletion is due (deleteWhen hour, or disk above
/// diskMaxUsedSpaceRatio) and, if so, runs a pass for segments older than fileReservedTime. The pass itself runs on
/// the node loop (see <see cref="RetentionPass"/>), so it never races the log writer.
/// </summary>
internal sealed class RetentionService
{
    private readonly RetentionPolicy _policy;
    private readonly TimeSpan _checkInterval;
    private readonly TimeProvider _clock;
    private readonly Func<double> _diskUsedRatio;
    private readonly Func<DateTimeOffset, Task<RetentionResult>> _runPass;
    private readonly ILogger _logger;
    private readonly string _selfId;
    private readonly CancellationTokenSource _stopping = new();
    private Task _loop = Task.CompletedTask;

    public RetentionService(RetentionPolicy policy, TimeSpan checkInterval, TimeProvider clock, Func<double> diskUsedRatio,
        Func<DateTimeOffset, Task<RetentionResult>> runPass, ILogger<RetentionService> logger, string selfId)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (checkInterval <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(checkInterval), checkInterval, "must be positive");
        _policy = policy;
        _checkInterval = checkInterval;
        _clock = clock;
        _diskUsedRatio = diskUsedRatio;
        _runPass = runPass;
        _logger = logger;
        _selfId = selfId;
    }

    public void Start() => _loop = Task.Run(RunAsync, CancellationToken.None);

    public async Task StopAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
    }

    /// <summary>One check: runs a pass when due and returns its result, or null when not due.</summary>
    public async Task<RetentionResult?> CheckOnceAsync()
    {
        var now = _clock.GetUtcNow();
        var localNow = TimeZoneInfo.ConvertTime(now, _clock.LocalTimeZone);
        if (!_policy.IsDue(localNow, _diskUsedRatio())) return null;
        return await _runPass(_policy.ExpiredBefore(now)).ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        using var timer = new PeriodicTimer(_checkInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token).ConfigureAwait(false))
            {
                try
                {
                    await CheckOnceAsync().ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogMessages.RetentionFailed(_logger, e, _selfId);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
