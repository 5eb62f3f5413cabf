namespace RaftMq.Broker.Forwarding;

/// <summary>
/// Remembers that this node started handing its leadership over (admin transferLeader, or a stop). For a short
/// while afterwards a write this node refuses (busy while the log hands over, "not master" while the successor is
/// being elected) is held and then forwarded to the successor instead of failing the client: the successor normally
/// takes over within a round trip, and stock clients retry immediately and give up after a few attempts.
/// </summary>
public sealed class HandOverWatch
{
    /// <summary>How long after starting a hand-over refusals are held. Longer than the Raft core's own limit (it
    /// aborts a transfer after one election timeout) would only delay the "busy" of a failed hand-over.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(3);

    private long _startedAt = long.MinValue;

    public void Started() => Volatile.Write(ref _startedAt, Environment.TickCount64);

    /// <summary>Milliseconds (Environment.TickCount64) until which refusals are held; in the past when no hand-over.</summary>
    public long HoldUntil
    {
        get
        {
            long started = Volatile.Read(ref _startedAt);
            return started == long.MinValue ? long.MinValue : started + (long)Window.TotalMilliseconds;
        }
    }
}
