using RaftMq.Consensus.Core;

namespace RaftMq.Consensus.Runtime;

/// <summary>Role and term changes: status, logging, metrics, state events and failing waiting appends.</summary>
internal sealed partial class NodeDriver
{
    private void PublishStateIfChanged()
    {
        var previous = _status;
        var current = _core.SoftState;
        long commit = _core.CommitIndex;
        if (current == previous.State)
        {
            if (commit != previous.Commit) _status = previous with { Commit = commit };
            return;
        }
        _status = new NodeStatus(current, commit);
        var before = previous.State;
        if (before.Role == RaftRole.Leader && (current.Role != RaftRole.Leader || current.Term != before.Term))
        {
            // Whatever was proposed in that term may or may not survive under the next leader.
            FailAllPending(AppendStatus.Unknown);
        }
        LogTransition(before, current);
        if (before.Role != current.Role) _metrics?.RoleChanged(current.Role);
        _host.StateChanged(current);
        _lastDisconnectedPeer = null;
    }

    private void LogTransition(SoftState before, SoftState current)
    {
        string reason = DescribeTransition(before, current, _lastDisconnectedPeer);
        string leader = current.LeaderId ?? "none";
        if (before.Role != current.Role)
            LogMessages.RoleChanged(_logger, _selfId, before.Role, current.Role, current.Term, leader, reason);
        else if (before.Term != current.Term)
            LogMessages.TermChanged(_logger, _selfId, before.Term, current.Term, current.Role, leader, reason);
        else
            LogMessages.LeaderChanged(_logger, _selfId, before.LeaderId ?? "none", leader, current.Term, reason);
    }

    /// <summary>Best explanation of a transition from what the runtime can see (the core does not report causes).</summary>
    internal static string DescribeTransition(SoftState before, SoftState current, string? disconnectedPeer)
    {
        bool wasCampaigning = before.Role is RaftRole.PreCandidate or RaftRole.Candidate;
        return current.Role switch
        {
            RaftRole.Leader => "won the election",
            RaftRole.PreCandidate when disconnectedPeer is not null && disconnectedPeer == before.LeaderId =>
                $"connection to leader {disconnectedPeer} closed; pre-vote started",
            RaftRole.PreCandidate => "no leader heard within the election timeout; pre-vote started",
            RaftRole.Candidate when before.Role == RaftRole.PreCandidate => "pre-vote granted by a majority; election started",
            RaftRole.Candidate => "leadership transferred to this node (TimeoutNow); election started",
            _ when before.Role == RaftRole.Leader && current.Term == before.Term => "lost contact with a majority (check-quorum); stepped down",
            _ when current.Term > before.Term && current.LeaderId is not null => $"leader {current.LeaderId} of a newer term heard",
            _ when current.Term > before.Term => "a newer term was seen",
            _ when wasCampaigning && current.LeaderId is not null => $"leader {current.LeaderId} heard while campaigning",
            _ when wasCampaigning => "election lost",
            _ when current.LeaderId is null && disconnectedPeer == before.LeaderId => $"connection to leader {before.LeaderId} closed",
            _ when current.LeaderId is null => "leader lost",
            _ => $"leader {current.LeaderId} heard",
        };
    }
}
