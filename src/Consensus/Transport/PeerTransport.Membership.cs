using RaftMq.Consensus.Configuration;
using RaftMq.Consensus.Core;

namespace RaftMq.Consensus.Transport;

/// <summary>
/// The members the transport talks to follow the group's configuration: links open for members that join and close
/// for members that leave, and the handshake accepts the members of the configuration in effect.
/// </summary>
internal sealed partial class PeerTransport
{
    private readonly Dictionary<string, CancellationTokenSource> _linkStops = new(StringComparer.Ordinal);
    private volatile AcceptedMembers _accepted;

    /// <summary>
    /// Replaces the members (self included or not): links are opened to new members and closed to members that left,
    /// and <paramref name="check"/> says how the handshake judges a peer's dLegerPeers. <paramref name="followed"/> is
    /// the replicated configuration in effect (null while the log holds none): our handshakes offer it to the peers we
    /// dial, and a dialer offering an older one is not accepted on its strength.
    /// </summary>
    public void SetMembers(IReadOnlyList<DLedgerPeer> members, PeerCheck check, FollowedConfiguration? followed = null)
    {
        ArgumentNullException.ThrowIfNull(members);
        var ids = new HashSet<string>(members.Select(member => member.Id), StringComparer.Ordinal);
        _accepted = new AcceptedMembers(ids, check, followed);
        lock (_stateGate)
        {
            if (_state == State.Stopped) return;
            var links = new Dictionary<string, PeerLink>(_links, StringComparer.Ordinal);
            foreach (var member in members)
            {
                if (member.Id == _options.SelfId) continue;
                if (links.TryGetValue(member.Id, out var existing))
                {
                    // A member that moved (admin addPeer with a new address) is dialed at its new address from now on.
                    if (existing.DialAddress == _options.DialAddressOf(member)) continue;
                    CloseLink(links, member.Id);
                }
                var link = CreateLink(member);
                links.Add(member.Id, link);
                if (_state == State.Started) StartLink(link);
                LogMessages.PeerLinkOpened(_logger, _options.SelfId, member.Id, member.Endpoint);
            }
            foreach (var gone in links.Keys.Where(id => !ids.Contains(id)).ToList()) CloseLink(links, gone);
            _links = links;
        }
    }

    private void CloseLink(Dictionary<string, PeerLink> links, string id)
    {
        var link = links[id];
        links.Remove(id);
        if (_linkStops.Remove(id, out var stop))
        {
            stop.Cancel();
            stop.Dispose();
        }
        link.Stop();
        LogMessages.PeerLinkClosed(_logger, _options.SelfId, id);
    }

    /// <summary>True when there is a link to <paramref name="id"/> (a member other than self).</summary>
    public bool HasLink(string id) => _links.ContainsKey(id);

    /// <summary>True when the link to <paramref name="id"/> holds an accepted connection now.</summary>
    public bool IsConnected(string id) => _links.TryGetValue(id, out var link) && link.IsConnected;

    /// <summary>True when <paramref name="id"/> may connect: a member of the configuration in effect or of dLegerPeers.</summary>
    internal bool AcceptsMember(string id) => _accepted.Ids.Contains(id) || _options.Peers.Contains(id);

    /// <summary>How the handshake judges a peer's dLegerPeers.</summary>
    internal PeerCheck Check => _accepted.Check;

    /// <summary>The replicated configuration this node follows, offered in its handshakes; null while it has none.</summary>
    internal FollowedConfiguration? Followed => _accepted.Followed;

    /// <summary>Raised (on a transport thread) when a dialer was accepted because it follows a newer replicated
    /// configuration that lists this node: its members' addresses let this node answer a leader it does not know.</summary>
    public event Action<Membership>? ConfigurationOffered;

    /// <summary>Called by an inbound connection accepted on the strength of the dialer's configuration.</summary>
    internal void OnConfigurationOffered(Membership offered)
    {
        var handlers = ConfigurationOffered;
        if (handlers is null || _stopping.IsCancellationRequested) return;
        try
        {
            handlers(offered);
        }
        catch (Exception e)
        {
            LogMessages.EventHandlerFailed(_logger, e, nameof(ConfigurationOffered), offered.ToString());
        }
    }

    private PeerLink CreateLink(DLedgerPeer peer) =>
        new(_options.DialAddressOf(peer), _options, _logger, id => Raise(PeerConnected, nameof(PeerConnected), id),
            id => Raise(PeerDisconnected, nameof(PeerDisconnected), id), () => _accepted.Followed);

    private void StartLink(PeerLink link)
    {
        var stop = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        _linkStops[link.PeerId] = stop;
        link.Start(stop.Token);
    }

    private sealed record AcceptedMembers(HashSet<string> Ids, PeerCheck Check, FollowedConfiguration? Followed);
}

/// <summary>A replicated configuration: the index of its entry and the configuration encoded as in the log.</summary>
internal sealed record FollowedConfiguration(long Index, byte[] Encoded)
{
    public static FollowedConfiguration Of(long index, Membership membership) => new(index, membership.Encode());
}

/// <summary>How the handshake judges the dLegerPeers a connecting member was configured with.</summary>
internal enum PeerCheck : byte
{
    /// <summary>A group whose membership never changed: they must equal ours (two nodes that disagree about the
    /// membership must never vote together).</summary>
    SameDLedgerPeers,

    /// <summary>This node's log is empty: as <see cref="SameDLedgerPeers"/>, except that a member whose dLegerPeers do not
    /// list this node is accepted (its group added this node through a replicated configuration change).</summary>
    Joining,

    /// <summary>The group's configuration is replicated in the log and decides: any member is accepted, whatever its
    /// dLegerPeers say.</summary>
    Configuration,
}
