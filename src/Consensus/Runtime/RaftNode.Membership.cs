using RaftMq.Consensus.Core;

namespace RaftMq.Consensus.Runtime;

/// <summary>Configuration changes: proposing them, and following the configuration in effect with the peer links.</summary>
public sealed partial class RaftNode
{
    private void OnMembershipChanged(Membership membership)
    {
        LogMessages.MembershipChanged(_logger, SelfId, Group, _driver.Membership.Index, membership.ToString());
    }
}
