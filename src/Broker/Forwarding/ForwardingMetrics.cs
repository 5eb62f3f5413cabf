using System.Diagnostics.Metrics;

namespace RaftMq.Broker.Forwarding;

/// <summary>Meter "RaftMq.Broker.Forwarding": requests a follower forwarded to its leader, by outcome, and their latency.</summary>
internal sealed class ForwardingMetrics : IDisposable
{
    public const string MeterName = "RaftMq.Broker.Forwarding";

    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _requests;
    private readonly Histogram<double> _latency;

    public ForwardingMetrics(Func<long> inFlight)
    {
        _requests = _meter.CreateCounter<long>("raftmq.forwarding.requests", "{request}",
            "Requests forwarded to the leader, by outcome (relayed, busy, no_leader, unknown)");
        _latency = _meter.CreateHistogram<double>("raftmq.forwarding.latency", "ms", "Time from forwarding a request to relaying the leader's answer");
        _meter.CreateObservableGauge("raftmq.forwarding.in_flight", inFlight, "{request}", "Forwarded requests waiting for the leader");
    }

    public void Count(ForwardOutcome outcome) =>
        _requests.Add(1, new KeyValuePair<string, object?>("outcome", outcome switch
        {
            ForwardOutcome.Relayed => "relayed",
            ForwardOutcome.Busy => "busy",
            ForwardOutcome.NoLeader => "no_leader",
            _ => "unknown",
        }));

    public void Relayed(double milliseconds) => _latency.Record(milliseconds);

    public void Dispose() => _meter.Dispose();
}

internal enum ForwardOutcome : byte
{
    Relayed,
    Busy,
    NoLeader,
    Unknown,
}
