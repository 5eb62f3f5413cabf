using RaftMq.Chaos.History;

namespace RaftMq.Chaos.Checking;

/// <summary>How a fault window affected writes.</summary>
public enum RecoveryStatus
{
    /// <summary>No send failed or timed out between this fault's start and the next fault's start.</summary>
    NoDisruption,

    /// <summary>Sends failed, then an ok send followed within the window.</summary>
    Recovered,

    /// <summary>Sends failed and no ok send followed before the next fault (or the end of the history).</summary>
    NotRecovered,
}

/// <summary>
/// Recovery of one fault window. The window examined runs from the fault's start to the next fault's start
/// (so the heal period that follows counts too). Recovery time = from the invoke of the first failed or
/// info send in it to the completion of the first ok send invoked at or after that failure.
/// </summary>
public sealed record WindowRecovery(
    FaultWindow Window,
    int Sends,
    int OkSends,
    long? FirstFailureUs,
    long? RecoveredAtUs,
    RecoveryStatus Status)
{
    public TimeSpan? RecoveryTime => FirstFailureUs is { } from && RecoveredAtUs is { } to
        ? TimeSpan.FromMicroseconds(to - from)
        : null;
}

/// <summary>Min / median / max of the recovery times of the windows that were disrupted and recovered.</summary>
public sealed record RecoveryStats(int Samples, TimeSpan? Min, TimeSpan? Median, TimeSpan? Max)
{
    public static RecoveryStats Of(IEnumerable<TimeSpan> times)
    {
        var sorted = times.Order().ToList();
        if (sorted.Count == 0)
        {
            return new RecoveryStats(0, null, null, null);
        }

        var middle = sorted.Count / 2;
        var median = sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        return new RecoveryStats(sorted.Count, sorted[0], median, sorted[^1]);
    }
}

internal static class RecoveryAnalysis
{
    internal sealed record Result(IReadOnlyList<WindowRecovery> Windows, RecoveryStats Failover, double Availability);

    public static Result Analyze(HistoryIndex index)
    {
        var windows = new List<WindowRecovery>();
        for (var i = 0; i < index.Windows.Count; i++)
        {
            var window = index.Windows[i];
            var until = i + 1 < index.Windows.Count ? index.Windows[i + 1].StartUs : long.MaxValue;
            windows.Add(AnalyzeWindow(index.Sends, window, until));
        }

        var failover = RecoveryStats.Of(windows.Where(w => w.RecoveryTime is not null).Select(w => w.RecoveryTime!.Value));
        var ok = index.Sends.Count(s => s.Outcome == SendOutcome.Acknowledged);
        var availability = index.Sends.Count == 0 ? 1.0 : (double)ok / index.Sends.Count;
        return new Result(windows, failover, availability);
    }

    private static WindowRecovery AnalyzeWindow(IReadOnlyList<SendOp> sendsByInvoke, FaultWindow window, long untilUs)
    {
        int sends = 0, ok = 0;
        SendOp? firstFailure = null;
        long? recoveredAt = null;
        foreach (var send in sendsByInvoke)
        {
            if (send.InvokeUs < window.StartUs || send.InvokeUs >= untilUs)
            {
                continue;
            }

            sends++;
            if (send.Outcome == SendOutcome.Acknowledged)
            {
                ok++;
                if (firstFailure is not null && (recoveredAt is null || send.CompleteUs < recoveredAt))
                {
                    recoveredAt = send.CompleteUs;
                }
            }
            else if (firstFailure is null)
            {
                firstFailure = send;
            }
        }

        var status = firstFailure is null ? RecoveryStatus.NoDisruption
            : recoveredAt is null ? RecoveryStatus.NotRecovered
            : RecoveryStatus.Recovered;
        return new WindowRecovery(window, sends, ok, firstFailure?.InvokeUs, recoveredAt, status);
    }
}
