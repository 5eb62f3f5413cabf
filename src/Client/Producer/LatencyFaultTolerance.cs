using System.Collections.Concurrent;

namespace RaftMq.Client.Producer;

/// <summary>
/// Remembers broker addresses to avoid: one that failed is avoided for the isolation duration, one that answered
/// slowly for a time that grows with its latency (RocketMQ's latency table, scaled down). Keyed by address rather
/// than broker name: after a Raft failover the group's new master has a new address and is usable at once.
/// </summary>
internal sealed class LatencyFaultTolerance(TimeSpan isolation, TimeProvider time)
{
    private static readonly (long LatencyMs, long AvoidMs)[] LatencyTable =
        [(15_000, 30_000), (3_000, 15_000), (2_000, 10_000), (1_000, 5_000), (550, 2_000)];

    private readonly ConcurrentDictionary<string, long> _availableAt = new(StringComparer.Ordinal);

    public bool IsAvailable(string address) =>
        !_availableAt.TryGetValue(address, out long at) || time.GetTimestamp() >= at;

    /// <summary>Records a successful call and its latency.</summary>
    public void OnSuccess(string address, TimeSpan latency)
    {
        long avoidMs = 0;
        foreach (var (latencyMs, avoid) in LatencyTable)
        {
            if (latency.TotalMilliseconds >= latencyMs)
            {
                avoidMs = avoid;
                break;
            }
        }
        if (avoidMs == 0) _availableAt.TryRemove(address, out _);
        else Avoid(address, TimeSpan.FromMilliseconds(avoidMs));
    }

    /// <summary>Records a failure: the address is avoided for the isolation duration.</summary>
    public void OnFailure(string address) => Avoid(address, isolation);

    private void Avoid(string address, TimeSpan duration) =>
        _availableAt[address] = time.GetTimestamp() + (long)(duration.TotalSeconds * time.TimestampFrequency);
}
