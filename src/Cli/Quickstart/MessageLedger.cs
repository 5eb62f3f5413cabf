using System.Collections.Concurrent;
using System.Diagnostics;
using RaftMq.Client;

namespace RaftMq.Cli.Quickstart;

/// <summary>Counts of a workload run, as printed at the end of quickstart.</summary>
/// <param name="Lost">Acknowledged but never consumed: the one number that must be 0.</param>
/// <param name="Duplicated">Messages delivered more than once (at-least-once redelivery, e.g. after a failover
/// rewound a consumer to its last committed offset).</param>
public sealed record LedgerSummary(long Sent, long Acknowledged, long Failed, long Unknown, long Consumed, long Lost, long Duplicated);

/// <summary>
/// Thread-safe record of every message a workload sent and every delivery it received, keyed by the message's
/// payload id (written into its body), so lost and duplicated messages can be counted exactly.
/// </summary>
public sealed class MessageLedger
{
    private readonly ConcurrentDictionary<long, SendOutcome> _sends = new();
    private readonly ConcurrentDictionary<long, int> _deliveries = new();
    private long _nextId;
    private long _lastAckTimestamp;

    /// <summary>A fresh payload id for the next message.</summary>
    public long NextId() => Interlocked.Increment(ref _nextId);

    /// <summary><see cref="Stopwatch"/> timestamp of the latest acknowledgement.</summary>
    public long LastAckTimestamp => Interlocked.Read(ref _lastAckTimestamp);

    public void RecordSend(long id, SendOutcome outcome)
    {
        _sends[id] = outcome;
        if (outcome == SendOutcome.Acknowledged) InterlockedMax(ref _lastAckTimestamp, Stopwatch.GetTimestamp());
    }

    public void RecordDelivery(long id) => _deliveries.AddOrUpdate(id, 1, static (_, count) => count + 1);

    /// <summary>Acknowledged messages not delivered (yet).</summary>
    public long CountUndelivered() => _sends.Count(send => send.Value == SendOutcome.Acknowledged && !_deliveries.ContainsKey(send.Key));

    /// <summary>Counts over one snapshot of the sends, so that the numbers of a progress line agree with each other
    /// while producers keep sending.</summary>
    public LedgerSummary Summarize()
    {
        var sends = _sends.ToArray();
        long acknowledged = 0, failed = 0, unknown = 0, lost = 0;
        foreach (var (id, outcome) in sends)
        {
            if (outcome == SendOutcome.Acknowledged)
            {
                acknowledged++;
                if (!_deliveries.ContainsKey(id)) lost++;
            }
            else if (outcome == SendOutcome.Failed)
            {
                failed++;
            }
            else
            {
                unknown++;
            }
        }
        var deliveries = _deliveries.ToArray();
        long duplicated = deliveries.Count(delivery => delivery.Value > 1);
        return new LedgerSummary(sends.Length, acknowledged, failed, unknown, deliveries.Length, lost, duplicated);
    }

    private static void InterlockedMax(ref long target, long value)
    {
        long current = Interlocked.Read(ref target);
        while (value > current)
        {
            long seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current) return;
            current = seen;
        }
    }
}
