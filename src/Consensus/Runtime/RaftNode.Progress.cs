using System.Collections.Concurrent;
using System.Diagnostics;
using RaftMq.Consensus.Core;

namespace RaftMq.Consensus.Runtime;

/// <summary>
/// The member's view of its group for status commands and metrics: role, term, indexes, the configuration in effect,
/// each member's match index while leading (published by the driver), and when each peer was last heard from
/// (recorded by the inbound pump).
/// </summary>
public sealed partial class RaftNode
{
    private readonly ConcurrentDictionary<string, long> _peerLastHeard = new(StringComparer.Ordinal);

    /// <summary>Members of the configuration in effect, voters then learners.</summary>
    public IReadOnlyList<string> Peers => Membership.All.Select(member => member.Id).ToArray();

    /// <summary>The configuration in effect (the latest in this node's log, committed or not).</summary>
    public Membership Membership => _driver.Membership.Membership;

    /// <summary>The preferred leader (<c>preferredLeaderId</c>), or null.</summary>
    public string? PreferredLeaderId => _options.PreferredLeaderId;

    /// <summary>Last index of this node's log as last seen by the loop.</summary>
    public long LastIndex => _driver.LastIndex;

    /// <summary>Bytes of log this node retains (first retained entry to the end of the log).</summary>
    public long RetainedLogBytes => ReadLog(static log => log.NextPos - log.FirstPos, 0);

    /// <summary>A picture of this member for status commands; each field is read once, so it is consistent enough
    /// for display, not a snapshot taken on the loop.</summary>
    public RaftMemberStatus GetStatus()
    {
        var state = State;
        long lastIndex = LastIndex;
        bool leading = state.Role == RaftRole.Leader;
        long now = Stopwatch.GetTimestamp();
        var progress = _driver.Membership;
        var members = progress.Membership.All.ToArray();
        var peers = new List<RaftPeerStatus>(members.Length);
        for (int i = 0; i < members.Length; i++)
        {
            string id = members[i].Id;
            bool self = string.Equals(id, SelfId, StringComparison.Ordinal);
            long match = leading ? Volatile.Read(ref progress.Match[i]) : -1;
            TimeSpan? sinceHeard = self ? TimeSpan.Zero
                : _peerLastHeard.TryGetValue(id, out long heard) ? Stopwatch.GetElapsedTime(heard, now) : null;
            peers.Add(new RaftPeerStatus(id, self, match, leading ? Math.Max(0, lastIndex - match) : -1, sinceHeard)
            {
                IsLearner = i >= progress.Membership.Voters.Count,
                Address = members[i].Address,
            });
        }
        return new RaftMemberStatus(SelfId, Group, state.Role, state.Term, state.LeaderId, CommitIndex, AppliedIndex, lastIndex,
            _options.PreferredLeaderId, HaltReason, peers) { MembershipIndex = progress.Index };
    }

    private void RecordHeardFrom(string peerId) => _peerLastHeard[peerId] = Stopwatch.GetTimestamp();
}

/// <summary>One member's view of its Raft group (see <see cref="RaftNode.GetStatus"/>).</summary>
/// <param name="Peers">Every member of the configuration in effect, voters then learners; match values are known only on the leader.</param>
public sealed record RaftMemberStatus(
    string SelfId,
    string Group,
    RaftRole Role,
    long Term,
    string? LeaderId,
    long CommitIndex,
    long AppliedIndex,
    long LastIndex,
    string? PreferredLeaderId,
    string? HaltReason,
    IReadOnlyList<RaftPeerStatus> Peers)
{
    /// <summary>Log index of the configuration in effect (0: the bootstrap one, from dLegerPeers).</summary>
    public long MembershipIndex { get; init; }
}

/// <param name="MatchIndex">The leader's match index for the peer (its own last index for itself); -1 when this
/// node does not lead.</param>
/// <param name="MatchLag">Entries the peer is behind the leader's last index; -1 when this node does not lead.</param>
/// <param name="SinceLastHeard">Time since this node last received a message from the peer; null if never.</param>
public sealed record RaftPeerStatus(string Id, bool IsSelf, long MatchIndex, long MatchLag, TimeSpan? SinceLastHeard)
{
    /// <summary>True for a learner: it replicates the log but does not vote or count toward commit.</summary>
    public bool IsLearner { get; init; }

    /// <summary>The peer address in the configuration ("" when the configuration has none: the bootstrap one).</summary>
    public string Address { get; init; } = "";
}
