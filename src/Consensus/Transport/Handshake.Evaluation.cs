using System.Security.Cryptography;
using System.Text;

namespace RaftMq.Consensus.Transport;

internal static partial class Handshake
{
    public static HandshakeRequest CreateRequest(PeerTransportOptions self) =>
        new(CurrentVersion, self.GroupName, self.SelfId, self.Peers.CanonicalHash.ToArray(), self.Peers.Canonical);

    /// <summary>
    /// The acceptor's decision. A connection is accepted only from a known member other than self, of the same
    /// group, configured with the same members: two nodes that disagree about the membership must never vote
    /// together, or a group could be split without anyone noticing.
    /// </summary>
    public static HandshakeResponse Evaluate(HandshakeRequest request, PeerTransportOptions self)
    {
        string? reason = RefusalReason(request, self);
        return new HandshakeResponse(reason is null, self.SelfId, self.GroupName, self.Peers.Canonical, reason ?? "");
    }

    private static string? RefusalReason(HandshakeRequest request, PeerTransportOptions self)
    {
        if (request.Version != CurrentVersion)
            return $"protocol version {request.Version} is not supported (this node speaks version {CurrentVersion})";
        if (!string.Equals(request.Group, self.GroupName, StringComparison.Ordinal))
            return $"group '{request.Group}' differs from ours '{self.GroupName}'";
        if (!SHA256.HashData(Encoding.UTF8.GetBytes(request.CanonicalPeers)).AsSpan().SequenceEqual(request.PeersHash))
            return "the peers hash does not match the peers text (corrupt handshake)";
        if (!self.Peers.CanonicalHash.Span.SequenceEqual(request.PeersHash))
            return $"dLegerPeers '{request.CanonicalPeers}' differ from ours '{self.Peers.Canonical}'";
        if (string.Equals(request.SenderId, self.SelfId, StringComparison.Ordinal))
            return $"the sender claims our own id '{self.SelfId}' (two nodes configured with the same dLegerSelfId?)";
        if (!self.Peers.Contains(request.SenderId))
            return $"sender id '{request.SenderId}' is not one of the peers '{self.Peers.Canonical}'";
        return null;
    }
}
