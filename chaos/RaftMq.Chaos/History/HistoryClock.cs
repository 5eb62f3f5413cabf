using System.Diagnostics;

namespace RaftMq.Chaos.History;

/// <summary>Monotonic microseconds since the run started; shared by every worker of a run.</summary>
public sealed class HistoryClock
{
    private readonly long _startTimestamp = Stopwatch.GetTimestamp();

    /// <summary>Wall-clock instant of microsecond 0, written into the run-parameters note.</summary>
    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;

    public long NowUs => (long)Stopwatch.GetElapsedTime(_startTimestamp).TotalMicroseconds;
}
