using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RaftMq.Chaos.History;

namespace RaftMq.Chaos.Nemesis;

/// <summary>
/// Alternates heal and fault windows: wait <see cref="NemesisOptions.HealWindow"/>, inject one nemesis drawn
/// with the seeded RNG, hold it for the fault window, heal. Every fault is recorded as a start and a stop op.
/// A fault in progress is always healed, also when the run is cancelled.
/// </summary>
public sealed class NemesisScheduler
{
    private readonly IClusterControl _cluster;
    private readonly IHistorySink _history;
    private readonly HistoryClock _clock;
    private readonly NemesisOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public NemesisScheduler(
        IClusterControl cluster, IHistorySink history, HistoryClock clock, NemesisOptions options,
        TimeProvider? time = null, ILogger? logger = null)
    {
        options.Validate();
        _cluster = cluster;
        _history = history;
        _clock = clock;
        _options = options;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        var enabled = options.Enabled ?? NemesisNames.All;
        Enabled = [.. NemesisCatalog.All.Where(n => enabled.Contains(n.Name) && n.AppliesTo(cluster))];
        if (Enabled.Count == 0)
        {
            throw new ArgumentException(
                $"none of the enabled nemeses ({string.Join(", ", enabled)}) applies to a {cluster.Nodes.Count}-node cluster", nameof(options));
        }
    }

    /// <summary>The nemeses this run draws from (enabled and applicable to the cluster).</summary>
    public IReadOnlyList<Nemesis> Enabled { get; }

    /// <summary>Runs windows until <paramref name="duration"/> has passed, the window limit is hit, or cancellation.</summary>
    public async Task RunAsync(TimeSpan duration, CancellationToken cancellationToken)
    {
        var random = new Random(_options.Seed);
        var context = new NemesisContext(_cluster, random, _options, _time);
        var started = _time.GetTimestamp();
        var window = 0;
        try
        {
            while (_options.MaxWindows is not { } max || window < max)
            {
                await context.DelayAsync(_options.HealWindow, cancellationToken).ConfigureAwait(false);
                if (_time.GetElapsedTime(started) >= duration)
                {
                    return;
                }

                window++;
                await RunWindowAsync(context, window, Enabled[random.Next(Enabled.Count)], cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // the run is over; the fault in progress was healed in RunWindowAsync
        }
    }

    private async Task RunWindowAsync(NemesisContext context, int window, Nemesis nemesis, CancellationToken cancellationToken)
    {
        var startUs = _clock.NowUs;
        var injection = await nemesis.InjectAsync(context, cancellationToken).ConfigureAwait(false);
        _history.Append(new FaultOp(nemesis.Name, FaultPhase.Start, window, injection.Targets, startUs, injection.Detail));
        NemesisLog.FaultStarted(_logger, window, nemesis.Name, string.Join(",", injection.Targets), injection.Detail);
        try
        {
            await context.DelayAsync(injection.Duration ?? _options.FaultWindow, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await injection.HealAsync(CancellationToken.None).ConfigureAwait(false);
            _history.Append(new FaultOp(nemesis.Name, FaultPhase.Stop, window, injection.Targets, _clock.NowUs));
            NemesisLog.FaultHealed(_logger, window, nemesis.Name);
        }
    }
}
