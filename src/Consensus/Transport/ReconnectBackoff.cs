namespace RaftMq.Consensus.Transport;

/// <summary>Exponential reconnect delay with "equal jitter" (half fixed, half random) so the nodes of a
/// restarted group do not dial each other in lock-step.</summary>
internal sealed class ReconnectBackoff
{
    private readonly TimeSpan _min;
    private readonly TimeSpan _max;
    private TimeSpan _current;

    public ReconnectBackoff(TimeSpan min, TimeSpan max)
    {
        _min = min;
        _max = max;
        _current = min;
    }

    public TimeSpan Next()
    {
        var ceiling = _current;
        _current = TimeSpan.FromTicks(Math.Min(_max.Ticks, _current.Ticks * 2));
        long half = ceiling.Ticks / 2;
        return TimeSpan.FromTicks(half + Random.Shared.NextInt64(half + 1));
    }

    public void Reset() => _current = _min;
}

/// <summary>Lets the first occurrence of a repeating condition through, then at most one per interval, counting
/// what it held back. Keeps an unreachable peer from filling the log every backoff period.</summary>
internal sealed class RepeatLimiter(TimeSpan interval)
{
    private readonly Lock _gate = new();
    private long _lastLoggedAt = long.MinValue;
    private int _suppressed;

    /// <summary>True when this occurrence should be logged; <paramref name="suppressed"/> is how many were
    /// held back since the last one that was.</summary>
    public bool ShouldLog(out int suppressed)
    {
        lock (_gate)
        {
            long now = Environment.TickCount64;
            if (_lastLoggedAt != long.MinValue && now - _lastLoggedAt < (long)interval.TotalMilliseconds)
            {
                _suppressed++;
                suppressed = 0;
                return false;
            }
            _lastLoggedAt = now;
            suppressed = _suppressed;
            _suppressed = 0;
            return true;
        }
    }

    /// <summary>The condition ended: the next occurrence is a new first one.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _lastLoggedAt = long.MinValue;
            _suppressed = 0;
        }
    }
}
