using Microsoft.Extensions.Logging;
using RaftMq.Foundation.Background;

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
    private BackgroundLoop? _loop;

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

    public void Start() => _loop = BackgroundLoop.Start(
        // The check interval is real time; _clock only decides whether a pass is due (tests move it by hand).
        new BackgroundLoopOptions { Name = $"log retention check ({_selfId})", Period = _checkInterval },
        async _ => await CheckOnceAsync().ConfigureAwait(false),
        _logger);

    public async Task StopAsync()
    {
        if (_loop is not null) await _loop.DisposeAsync().ConfigureAwait(false);
        _loop = null;
    }

    /// <summary>One check: runs a pass when due and returns its result, or null when not due.</summary>
    public async Task<RetentionResult?> CheckOnceAsync()
    {
        var now = _clock.GetUtcNow();
        var localNow = TimeZoneInfo.ConvertTime(now, _clock.LocalTimeZone);
        if (!_policy.IsDue(localNow, _diskUsedRatio())) return null;
        return await _runPass(_policy.ExpiredBefore(now)).ConfigureAwait(false);
    }
}
