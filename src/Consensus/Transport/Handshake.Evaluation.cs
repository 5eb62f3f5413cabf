using System.Security.Cryptography;
using System.Text;
using RaftMq.Consensus.Configuration;
using RaftMq.Consensus.Core;

namespace RaftMq.Consensus.Transport;

internal static partial class Handshake
{
    /// <summary>The refusal category for a version the acceptor does not speak (older releases send the same text).</summary>
    public const string UnsupportedVersion = "unsupported protocol version";

    /// <summary>
    /// The dialer's request: version 3 with the configuration it follows (<paramref name="followed"/>), or version 2
    /// while it follows none or when <paramref name="legacy"/> (the peer runs a release that speaks only version 2).
    /// </summary>
    public static HandshakeRequest CreateRequest(PeerTransportOptions self, FollowedConfiguration? followed = null, bool legacy = false)
    {
        bool offer = followed is { Index: > 0 } && !legacy;
        return new HandshakeRequest(offer ? CurrentVersion : LegacyVersion, self.GroupName, self.SelfId, self.Peers.CanonicalHash.ToArray(),
            self.Peers.Canonical, RandomNumberGenerator.GetBytes(NonceBytes))
        {
            ConfigurationIndex = offer ? followed!.Index : 0,
            Configuration = offer ? followed!.Encoded : [],
        };
    }

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
    /// drops it once the configuration is replicated in the log: that configuration decides, <paramref name="isMember"/>).
    /// A dialer that follows a replicated configuration newer than ours which lists us and itself is accepted too
    /// (<see cref="FollowsConfigurationListing"/> says why that is safe). Returns null when fine, else (the category the
    /// dialer is told, the detail only our log gets).
    /// </summary>
    public static (string Category, string Detail)? Evaluate(HandshakeRequest request, PeerTransportOptions self,
        Func<string, bool>? isMember = null, PeerCheck check = PeerCheck.SameDLedgerPeers, long ownConfigurationIndex = 0)
    {
        if (request.Version is not (CurrentVersion or LegacyVersion))
            return (UnsupportedVersion, $"protocol version {request.Version} is not supported (this node speaks versions {LegacyVersion} and {CurrentVersion})");
        if (!string.Equals(request.Group, self.GroupName, StringComparison.Ordinal))
            return ("group differs", $"group '{request.Group}' differs from ours '{self.GroupName}'");
        if (!SHA256.HashData(Encoding.UTF8.GetBytes(request.CanonicalPeers)).AsSpan().SequenceEqual(request.PeersHash))
            return ("corrupt handshake", "the peers hash does not match the peers text (corrupt handshake)");
        Membership? offered;
        try
        {
            offered = DecodeConfiguration(request);
        }
        catch (FormatException e)
        {
            return ("corrupt handshake", $"the configuration in the handshake does not decode: {e.Message}");
        }
        bool followsNewer = offered is not null && request.ConfigurationIndex > ownConfigurationIndex
            && FollowsConfigurationListing(offered, self.SelfId, request.SenderId);
        if (check != PeerCheck.Configuration && !followsNewer && !self.Peers.CanonicalHash.Span.SequenceEqual(request.PeersHash)
            && !(check == PeerCheck.Joining && !ListsId(request.CanonicalPeers, self.SelfId))
            && !DiffersOnlyInOwnAddress(request.CanonicalPeers, self))
            return ("membership differs", $"dLegerPeers '{request.CanonicalPeers}' differ from ours '{self.Peers.Canonical}'");
        if (string.Equals(request.SenderId, self.SelfId, StringComparison.Ordinal))
            return ("sender claims the acceptor's id", $"the sender claims our own id '{self.SelfId}' (two nodes configured with the same dLegerSelfId?)");
        if (!followsNewer && !(isMember ?? self.Peers.Contains)(request.SenderId))
            return ("unknown member", $"sender id '{request.SenderId}' is not one of the peers '{self.Peers.Canonical}' nor of the group's configuration");
        return null;
    }

    /// <summary>The configuration a version 3 dialer follows, or null when it follows none.</summary>
    /// <exception cref="FormatException">The bytes are not a configuration, or name no voter.</exception>
    public static Membership? DecodeConfiguration(HandshakeRequest request)
    {
        if (request.ConfigurationIndex <= 0) return null;
        var membership = Membership.Decode(request.Configuration);
        if (membership.Problem() is { } problem) throw new FormatException(problem);
        return membership;
    }

    /// <summary>
    /// True when the dialer's replicated configuration lists both this node and the dialer. Such a dialer is accepted
    /// whatever dLegerPeers say, even by a node whose log holds no configuration entry (it still runs on its bootstrap
    /// dLegerPeers), so that it receives the entries and learns the configuration. Safe because accepting an inbound
    /// connection changes only what this node hears, never whom it counts: (1) as a candidate it still asks for votes
    /// from, and counts, its own configuration (the bootstrap dLegerPeers until its log holds an entry); the first
    /// configuration entry the group committed differs from that bootstrap by one voter, so every majority of the
    /// bootstrap contains a server holding that committed entry, and such a server refuses its vote to a candidate
    /// whose log lacks it (Raft's up-to-date rule); by the same argument for each later one-voter change, a node
    /// can only win an election once its log holds the configuration the group runs. (2) As a voter it grants at most
    /// one vote per term and only by the up-to-date rule, which is all Raft asks of any server, member or not; the
    /// candidate counts the vote against its own configuration. (3) It never decides commitment as a follower. Refused
    /// as before: a dialer without a configuration whose dLegerPeers differ (two confs with no log to settle who is
    /// right), and a configuration that does not list this node (it was removed: nothing to learn).
    /// </summary>
    private static bool FollowsConfigurationListing(Membership offered, string selfId, string senderId) =>
        offered.Contains(selfId) && offered.Contains(senderId);

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
