using RaftMq.Consensus.Core;

namespace RaftMq.Consensus.Runtime;

/// <summary>Configuration changes, proposed on the loop.</summary>
internal sealed partial class NodeDriver
{
    /// <summary>The configuration in effect (read on the loop).</summary>
    public Membership CurrentMembership => _core.Membership;

    /// <summary>Proposes <paramref name="change"/> applied to the configuration in effect; the entry's index when it
    /// was appended (the change is in effect at once and safe once that index commits).</summary>
    public (MembershipChangeResult Result, long Index) ProposeMembership(Func<Membership, Membership> change)
    {
        if (_haltReason is not null) return (MembershipChangeResult.NotLeader, -1);
        var next = change(_core.Membership);
        long before = _core.LastIndex;
        var result = _core.ProposeMembership(next);
        return (result, result == MembershipChangeResult.Accepted && _core.LastIndex > before ? _core.LastIndex : _core.MembershipIndex);
    }
}
