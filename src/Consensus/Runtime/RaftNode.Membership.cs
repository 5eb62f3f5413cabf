using RaftMq.Consensus.Configuration;
using RaftMq.Consensus.Core;
using RaftMq.Consensus.Transport;

namespace RaftMq.Consensus.Runtime;

/// <summary>Configuration changes: following the configuration in effect with the peer links, and saying how the
/// configured dLegerPeers differ from it.</summary>
public sealed partial class RaftNode
{
    private string? _lastDrift;

    /// <summary>Every member's address seen in a configuration, so that a leader being removed stays reachable.</summary>
    private readonly Dictionary<string, DLedgerPeer> _knownPeers = new(StringComparer.Ordinal);
    private string? _linkedLeader;

    /// <summary>
    /// Opens links to the members of the configuration in effect (at start: the one rebuilt from the log), and to the
    /// current leader even when that configuration removes it: it leads until the removal commits, which it learns
    /// from our answers. Runs on the loop (and once before it starts).
    /// </summary>
    private void FollowMembership(Membership membership, long index, string? leaderId)
    {
        // A group whose membership never changed keeps requiring identical dLegerPeers of its peers; a node with an
        // empty log may be joining a group that added it; a replicated configuration decides by itself.
        var check = index > 0 ? PeerCheck.Configuration : _log.LastIndex == 0 && _log.LatestSnapshot is null ? PeerCheck.Joining : PeerCheck.SameDLedgerPeers;
        var peers = MembershipDrift.Endpoints(membership, _options.Peers);
        AddHintedPeers(membership, peers);
        foreach (var peer in peers) _knownPeers[peer.Id] = peer;
        if (leaderId is not null && !membership.Contains(leaderId) && _knownPeers.TryGetValue(leaderId, out var leader)) peers.Add(leader);
        _linkedLeader = leaderId;
        _transport.SetMembers(peers, check, index > 0 ? FollowedConfiguration.Of(index, membership) : null);
        // Classic master/slave groups have no dLegerPeers to keep in step: slaves join through the log by design.
        string? drift = index == 0 || _options.Classic is not null ? null : MembershipDrift.Describe(Group, _options.Peers, membership);
        if (drift is not null && drift != _lastDrift) LogMessages.PeersDifferFromConfiguration(_logger, SelfId, Group, index, drift);
        _lastDrift = drift;
    }

    private void OnMembershipChanged(Membership membership)
    {
        long index = _driver.Membership.Index;
        LogMessages.MembershipChanged(_logger, SelfId, Group, index, membership.ToString());
        FollowMembership(membership, index, _driver.State.LeaderId);
    }

    /// <summary>
    /// A peer following a newer configuration that lists us connected (see Handshake.FollowsConfigurationListing): its
    /// members' addresses become known, so that when one of them leads we can answer it before our log holds that
    /// configuration. Who counts as a member does not change until the log says so.
    /// </summary>
    private void OnConfigurationOffered(Membership offered) => _ = RunOnLoopAsync(() =>
    {
        bool learned = false;
        foreach (var member in offered.All)
        {
            if (member.Id == SelfId || member.Address.Length == 0 || _knownPeers.ContainsKey(member.Id)) continue;
            if (MembershipDrift.Endpoints(new Membership([member], []), _options.Peers) is [var peer])
            {
                _knownPeers[member.Id] = peer;
                learned = true;
            }
        }
        var progress = _driver.Membership;
        if (learned && _driver.State.LeaderId is { } leader && !progress.Membership.Contains(leader))
            FollowMembership(progress.Membership, progress.Index, leader);
    });

    /// <summary>A new leader outside the configuration needs a link; a former one that left it no longer does.</summary>
    private void FollowLeader(SoftState state)
    {
        if (state.LeaderId == _linkedLeader) return;
        var progress = _driver.Membership;
        bool outside = (state.LeaderId is { } id && !progress.Membership.Contains(id))
            || (_linkedLeader is { } old && !progress.Membership.Contains(old));
        _linkedLeader = state.LeaderId;
        if (outside) FollowMembership(progress.Membership, progress.Index, state.LeaderId);
    }

    /// <summary>
    /// Proposes a configuration change on this node (it must lead) and waits up to <paramref name="timeout"/> for it to
    /// commit. One change at a time: while another is uncommitted, or before this leader committed an entry of its
    /// term, the result is ChangeInProgress (retry shortly).
    /// </summary>
    public async Task<MembershipChangeOutcome> ChangeMembershipAsync(MembershipRequest request, TimeSpan timeout, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        MembershipChangeResult result = MembershipChangeResult.NotLeader;
        long index = -1;
        string? error = null;
        Membership membership = Membership;
        await RunOnLoopAsync(() =>
        {
            membership = _driver.CurrentMembership;
            if (request.Apply(membership, out error) is not { } next)
            {
                result = MembershipChangeResult.Invalid;
                return;
            }
            (result, index) = _driver.ProposeMembership(_ => next);
            membership = _driver.CurrentMembership;
        }).ConfigureAwait(false);
        if (result != MembershipChangeResult.Accepted) return new MembershipChangeOutcome(result, false, -1, membership, error ?? Describe(result));
        LogMessages.MembershipChangeProposed(_logger, SelfId, Group, request.Operation.ToString(), request.PeerId, index, membership.ToString());
        var deadline = DateTime.UtcNow + timeout;
        while (CommitIndex < index && DateTime.UtcNow < deadline && HaltReason is null && _stopped is null)
        {
            // The commit index is published by the loop; an admin command can afford to look every few milliseconds.
            await Task.Delay(10, ct).ConfigureAwait(false);
        }
        return new MembershipChangeOutcome(result, CommitIndex >= index, index, membership, null);
    }

    private static string Describe(MembershipChangeResult result) => result switch
    {
        MembershipChangeResult.NotLeader => "this node does not lead its group",
        MembershipChangeResult.Transferring => "a leadership transfer is in progress; retry",
        MembershipChangeResult.ChangeInProgress => "another configuration change is not committed yet (or the leader just took over); retry",
        _ => "the change would alter more than one voter or leave no voter",
    };
}
