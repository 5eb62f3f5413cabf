namespace RaftMq.NameServer.Routing;

public sealed partial class RouteInfoManager
{
    private enum ClaimVerdict
    {
        Accept,

        /// <summary>Older term than the confirmed master: a deposed leader.</summary>
        Stale,

        /// <summary>No other member of the group reports the claimed term yet: kept pending, the master stays.</summary>
        Unconfirmed,
    }

    /// <summary>
    /// Judges a master (id 0) claim against a different master already registered. The claimant names its own
    /// address and term, so neither is evidence; what the group's other members report is. A claim is confirmed
    /// when a third registered member reports a Raft term at least as high. It replaces the master when confirmed
    /// and either newer than the master's term or the master's own term is unconfirmed (e.g. a forger that got in
    /// while the group had no master). Brokers that send no term (RocketMQ master-slave) keep RocketMQ's rule: the
    /// latest registration wins.
    /// </summary>
    private ClaimVerdict JudgeMasterClaim(BrokerGroup group, BrokerRegistrationRequest claim)
    {
        if (claim.BrokerId != MasterId || !group.Addresses.TryGetValue(MasterId, out var master) || master == claim.BrokerAddress)
        {
            return ClaimVerdict.Accept;
        }
        long masterTerm = _live.TryGetValue(master, out var entry) ? entry.RaftTerm : 0;
        if (claim.RaftTerm == 0 && masterTerm == 0) return ClaimVerdict.Accept;
        // Neither party's own report counts as evidence for it or against the other.
        long witnessed = HighestTermReported(group, master, claim.BrokerAddress);
        bool masterConfirmed = masterTerm > 0 && witnessed >= masterTerm;
        bool claimConfirmed = claim.RaftTerm > 0 && witnessed >= claim.RaftTerm;
        if (claimConfirmed && (claim.RaftTerm > masterTerm || !masterConfirmed)) return ClaimVerdict.Accept;
        return masterConfirmed && claim.RaftTerm < masterTerm ? ClaimVerdict.Stale : ClaimVerdict.Unconfirmed;
    }

    /// <summary>Highest Raft term any registered member of the group other than the two parties reports.</summary>
    private long HighestTermReported(BrokerGroup group, string master, string claimant)
    {
        long highest = 0;
        foreach (var address in group.Addresses.Values)
        {
            if (address != master && address != claimant && _live.TryGetValue(address, out var member)) highest = Math.Max(highest, member.RaftTerm);
        }
        return highest;
    }

    /// <summary>Applies a pending master claim once the members confirm it or the master it contested left.</summary>
    private void PromotePendingClaim(string brokerName)
    {
        if (!_groups.TryGetValue(brokerName, out var group) || group.PendingClaim is not { } pending) return;
        if (JudgeMasterClaim(group, pending) != ClaimVerdict.Accept) return;
        group.PendingClaim = null;
        RegisterLocked(pending);
    }

    /// <summary>Forgets pending claims made over a connection that closed.</summary>
    private void DropPendingClaims(long connectionId)
    {
        foreach (var group in _groups.Values)
        {
            if (group.PendingClaim?.ConnectionId == connectionId) group.PendingClaim = null;
        }
    }

    /// <summary>Remembers a master that re-registers under a slave id (it stepped down); forgets it once any address
    /// registers as master.</summary>
    private void NoteMasterGap(BrokerGroup group, BrokerRegistrationRequest request)
    {
        if (request.BrokerId == MasterId)
        {
            group.SteppedDownMaster = null;
        }
        else if (group.Addresses.TryGetValue(MasterId, out var master) && master == request.BrokerAddress)
        {
            group.SteppedDownMaster = (request.BrokerAddress, _time.GetUtcNow());
        }
    }
}
