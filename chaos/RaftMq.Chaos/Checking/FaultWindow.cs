using RaftMq.Chaos.History;

namespace RaftMq.Chaos.Checking;

/// <summary>A fault as the checker sees it: the start and stop ops of one window paired.</summary>
/// <param name="StopUs">Null when the history ended before the fault was healed.</param>
public sealed record FaultWindow(int Id, string Name, IReadOnlyList<string> Targets, long StartUs, long? StopUs, string? Detail)
{
    public long EndUs(long historyEndUs) => StopUs ?? historyEndUs;

    /// <summary>Pairs fault ops by window number; windows come out in start order.</summary>
    public static IReadOnlyList<FaultWindow> FromOps(IEnumerable<HistoryOp> ops)
    {
        var starts = new Dictionary<int, FaultOp>();
        var stops = new Dictionary<int, long>();
        foreach (var fault in ops.OfType<FaultOp>())
        {
            if (fault.Phase == FaultPhase.Start)
            {
                starts.TryAdd(fault.Window, fault);
            }
            else
            {
                stops.TryAdd(fault.Window, fault.TimeUs);
            }
        }

        return starts.Values
            .OrderBy(s => s.TimeUs)
            .ThenBy(s => s.Window)
            .Select(s => new FaultWindow(
                s.Window, s.Name, s.Targets, s.TimeUs, stops.TryGetValue(s.Window, out var stop) ? stop : null, s.Detail))
            .ToList();
    }
}
