using System.Diagnostics.Metrics;

namespace RaftMq.Client.Trace;

/// <summary>Meter "RaftMq.Trace": trace records written, dropped because the buffer was full, and lost in failed writes,
/// summed over the process's traced producers and consumers.</summary>
internal static class TraceMetrics
{
    public const string MeterName = "RaftMq.Trace";

    private static readonly Meter Meter = new(MeterName);

    public static readonly Counter<long> Written =
        Meter.CreateCounter<long>("raftmq.trace.records.written", "{record}", "Trace records stored in the trace topic");

    public static readonly Counter<long> Dropped =
        Meter.CreateCounter<long>("raftmq.trace.records.dropped", "{record}", "Trace records dropped because the trace buffer was full");

    public static readonly Counter<long> Failed =
        Meter.CreateCounter<long>("raftmq.trace.records.failed", "{record}", "Trace records lost because writing their trace message failed");
}
