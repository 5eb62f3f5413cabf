using System.Diagnostics.Metrics;

namespace RaftMq.Consensus.Transport;

/// <summary>
/// Counts refused peer connections (meter <c>RaftMq.Security</c>, instrument <c>raftmq.security.peer_refusals</c>,
/// tag <c>reason</c>: handshake, authentication, duplicate_member, bad_frame, tls).
/// </summary>
internal static class PeerRefusals
{
    public const string Handshake = "handshake";
    public const string Authentication = "authentication";
    public const string DuplicateMember = "duplicate_member";
    public const string BadFrame = "bad_frame";
    public const string Tls = "tls";

    private static readonly Meter SecurityMeter = new("RaftMq.Security");

    private static readonly Counter<long> Refusals = SecurityMeter.CreateCounter<long>(
        "raftmq.security.peer_refusals", unit: "{refusal}", description: "Raft peer connections or frames refused, by reason.");

    public static void Count(string reason) => Refusals.Add(1, new KeyValuePair<string, object?>("reason", reason));
}
