using System.Security.Cryptography;
using System.Text;
using RaftMq.Consensus.Configuration;

namespace RaftMq.Consensus.Transport;

internal static partial class Handshake
{
    public static HandshakeRequest CreateRequest(PeerTransportOptions self) =>
        new(CurrentVersion, self.GroupName, self.SelfId, self.Peers.CanonicalHash.ToArray(), self.Peers.Canonical, RandomNumberGenerator.GetBytes(NonceBytes));

    public static HandshakeResponse Accept(PeerTransportOptions self) =>
        new(HandshakeStatus.Accepted, self.SelfId, self.GroupName, self.Peers.Canonical, "", [], []);

    /// <summary>A refusal that names only the kind of problem: nothing of our group, peers or secret.</summary>
    public static HandshakeResponse Refuse(PeerTransportOptions self, string category) =>
        new(HandshakeStatus.Refused, self.SelfId, "", "", category, [], []);

    /// <summary>
    /// The acceptor's check of the request, before any authentication. A connection is accepted only from a known
    /// member other than self, of the same group. While the group's membership was never changed it must also be
    /// configured with the same dLegerPeers: two nodes that disagree about the membership must never vote together,
    /// or a group could be split without anyone noticing (<paramref name="check"/> relaxes it for a joining node and
    /// drops it once the configuration is replicated in the log: that configuration decides, <paramref name="isMember"/>). Returns null when fine, else
    /// (the category the dialer is told, the detail only our log gets).
    /// </summary>
    public static (string Category, string Detail)? Evaluate(HandshakeRequest request, PeerTransportOptions self,
        Func<string, bool>? isMember = null, PeerCheck check = PeerCheck.SameDLedgerPeers)
    {
        if (request.Version != CurrentVersion)
            return ("unsupported protocol version", $"protocol version {request.Version} is not supported (this node speaks version {CurrentVersion})");
        if (!string.Equals(request.Group, self.GroupName, StringComparison.Ordinal))
            return ("group differs", $"group '{request.Group}' differs from ours '{self.GroupName}'");
        if (!SHA256.HashData(Encoding.UTF8.GetBytes(request.CanonicalPeers)).AsSpan().SequenceEqual(request.PeersHash))
            return ("corrupt handshake", "the peers hash does not match the peers text (corrupt handshake)");
        if (check != PeerCheck.Configuration && !self.Peers.CanonicalHash.Span.SequenceEqual(request.PeersHash)
            && !(check == PeerCheck.Joining && !ListsId(request.CanonicalPeers, self.SelfId))
            && !DiffersOnlyInOwnAddress(request.CanonicalPeers, self))
            return ("membership differs", $"dLegerPeers '{request.CanonicalPeers}' differ from ours '{self.Peers.Canonical}'");
        if (string.Equals(request.SenderId, self.SelfId, StringComparison.Ordinal))
            return ("sender claims the acceptor's id", $"the sender claims our own id '{self.SelfId}' (two nodes configured with the same dLegerSelfId?)");
        if (!(isMember ?? self.Peers.Contains)(request.SenderId))
            return ("unknown member", $"sender id '{request.SenderId}' is not one of the peers '{self.Peers.Canonical}' nor of the group's configuration");
        return null;
    }

    /// <summary>
    /// True when the dialer's dLegerPeers name the same members at the same addresses except this node, which it lists
    /// elsewhere: this node moved with its data (admin addPeer with its new address) and the dialer found it through
    /// the group's replicated configuration. Both still agree on who votes; any other difference is refused.
    /// </summary>
    private static bool DiffersOnlyInOwnAddress(string canonicalPeers, PeerTransportOptions self)
    {
        DLedgerPeers theirs;
        try
        {
            theirs = DLedgerPeers.Parse(canonicalPeers);
        }
        catch (FormatException)
        {
            return false;
        }
        return theirs.Members.Count == self.Peers.Members.Count && theirs.Members.All(peer =>
            self.Peers.Find(peer.Id) is { } ours && (peer.Id == self.SelfId || ours == peer));
    }

    /// <summary>True when canonical dLegerPeers text (<c>id-host:port;...</c>) names <paramref name="id"/>.</summary>
    private static bool ListsId(string canonicalPeers, string id) =>
        canonicalPeers.Split(';').Any(member => member.IndexOf('-') is > 0 and var dash && string.Equals(member[..dash], id, StringComparison.Ordinal));
}
