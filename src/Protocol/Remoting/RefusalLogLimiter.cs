namespace RaftMq.Protocol.Remoting;

/// <summary>
/// Lets at most <see cref="Burst"/> refusal diagnostics through per <see cref="Window"/> for one server (or client)
/// and counts the rest, so that a flood of garbage frames costs a few log lines, not one (with a stack trace) per
/// frame. One per server, not per process: a flood at one port must not hide the refusals of another.
/// </summary>
internal sealed class RefusalLogLimiter
{
    public const int Burst = 10;
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    private readonly Lock _gate = new();
    private long _windowStart;
    private int _reported;
    private int _suppressed;

    /// <summary>True when this refusal may be logged; <paramref name="suppressed"/> says how many were dropped before it.</summary>
    public bool ShouldReport(out int suppressed)
    {
        lock (_gate)
        {
            long now = Environment.TickCount64;
            if (_reported == 0 || now - _windowStart > (long)Window.TotalMilliseconds)
            {
                _windowStart = now;
                _reported = 0;
            }
            if (_reported >= Burst)
            {
                _suppressed++;
                suppressed = 0;
                return false;
            }
            _reported++;
            suppressed = _suppressed;
            _suppressed = 0;
            return true;
        }
    }
}
