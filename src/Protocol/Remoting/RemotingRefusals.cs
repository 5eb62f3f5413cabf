using System.Diagnostics.Metrics;

namespace RaftMq.Protocol.Remoting;

/// <summary>Why a remoting server refused input or dropped a connection; the metric tag values.</summary>
public static class RefusalReason
{
    public const string MalformedFrame = "malformed_frame";
    public const string PartialFrameBudget = "partial_frame_budget";
    public const string FrameReadTimeout = "frame_read_timeout";
    public const string IdleTimeout = "idle_timeout";
    public const string UnconfirmedMasterClaim = "unconfirmed_master_claim";

    /// <summary>Plaintext where TLS is enforced, TLS where it is disabled, or a failed TLS handshake.</summary>
    public const string Tls = "tls";
}

/// <summary>
/// Counts what the remoting servers refuse (meter <c>RaftMq.Security</c>, instrument
/// <c>raftmq.security.remoting_refusals</c>, tag <c>reason</c>), so an attack shows in metrics rather than only in logs.
/// </summary>
public static class RemotingRefusals
{
    public const string MeterName = "RaftMq.Security";

    private static readonly Meter SecurityMeter = new(MeterName);

    private static readonly Counter<long> Refusals = SecurityMeter.CreateCounter<long>(
        "raftmq.security.remoting_refusals", unit: "{refusal}", description: "Remoting frames or connections refused, by reason.");

    public static void Count(string reason) => Refusals.Add(1, new KeyValuePair<string, object?>("reason", reason));
}
