namespace RaftMq.Protocol.Remoting;

/// <summary>
/// Lets at most <see cref="Burst"/> refusal diagnostics through per <see cref="Window"/> in this process and counts
/// the rest, so that a flood of garbage frames costs a few log lines, not one (with a stack trace) per frame.
/// </summary>
internal static class RefusalLogLimiter
{
    public const int Burst = 10;
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    private static readonly Lock Gate = new();
    private static long s_windowStart;
    private static int s_reported;
    private static int s_suppressed;

    /// <summary>True when this refusal may be logged; <paramref name="suppressed"/> says how many were dropped before it.</summary>
    public static bool ShouldReport(out int suppressed)
    {
        lock (Gate)
        {
            long now = Environment.TickCount64;
            if (now - s_windowStart > (long)Window.TotalMilliseconds)
            {
                s_windowStart = now;
                s_reported = 0;
            }
            if (s_reported >= Burst)
            {
                s_suppressed++;
                suppressed = 0;
                return false;
            }
            s_reported++;
            suppressed = s_suppressed;
            s_suppressed = 0;
            return true;
        }
    }
}
