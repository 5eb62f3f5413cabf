namespace RaftMq.Chaos.Report;

/// <summary>Maps run time and latency onto the timeline's pixels (latency on a log scale).</summary>
internal sealed class TimelineScale(long endUs, double maxLatencyMs)
{
    public const double Left = 64, Right = 24, Width = 1100;
    public const double LatencyTop = 28, LatencyHeight = 260;
    public const double ThroughputTop = LatencyTop + LatencyHeight + 44, ThroughputHeight = 120;
    public const double Height = ThroughputTop + ThroughputHeight + 34;
    public const double MinLatencyMs = 0.1;

    public long EndUs { get; } = Math.Max(endUs, 1_000_000);

    /// <summary>Top of the latency axis: the next power of ten above the slowest send (at least 10 ms).</summary>
    public double MaxLatencyMs { get; } = Math.Pow(10, Math.Ceiling(Math.Log10(Math.Max(maxLatencyMs, 10))));

    public double PlotWidth => Width - Left - Right;

    public double X(long micros) => Left + PlotWidth * Math.Clamp((double)micros / EndUs, 0, 1);

    public double LatencyY(double latencyMs)
    {
        var clamped = Math.Clamp(latencyMs, MinLatencyMs, MaxLatencyMs);
        var fraction = Math.Log10(clamped / MinLatencyMs) / Math.Log10(MaxLatencyMs / MinLatencyMs);
        return LatencyTop + LatencyHeight * (1 - fraction);
    }

    public static double ThroughputY(double value, double max) =>
        ThroughputTop + ThroughputHeight * (1 - (max <= 0 ? 0 : value / max));

    /// <summary>A round tick step giving about ten ticks over the run.</summary>
    public long TickStepSeconds()
    {
        var seconds = EndUs / 1_000_000.0;
        foreach (var step in new long[] { 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600 })
        {
            if (seconds / step <= 12)
            {
                return step;
            }
        }

        return 7200;
    }
}
