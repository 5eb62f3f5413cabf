using System.Diagnostics;
using RaftMq.Consensus.Core;

namespace RaftMq.Consensus.Runtime;

/// <summary>
/// The member's view of its group for status commands and metrics: role, term, indexes, each follower's match index
/// while leading (published by the driver), and when each peer was last heard from (recorded by the inbound pump).
/// </summary>
public sealed partial class RaftNode
{
    private long[] _peerLastHeard = [];
    private Dictionary<string, int> _peerSlots = new(StringComparer.Ordinal);

    /// <summary>Peers in <c>dLegerPeers</c> order.</summary>
    public IReadOnlyList<string> Peers => _options.Peers.Ids;

    /// <summary>The preferred leader (<c>preferredLeaderId</c>), or null.</summary>
    public string? PreferredLeaderId => _options.PreferredLeaderId;

    /// <summary>Last index of this node's log as last seen by the loop.</summary>
    public long LastIndex => _driver.LastIndex;

    /// <summary>Bytes of log this node retains (first retained entry to the end of the log).</summary>
    public long RetainedLogBytes => ReadLog(static log => log.NextPos - log.FirstPos, 0);

    private void InitPeerSlots()
    {
        var ids = _options.Peers.Ids;
        _peerLastHeard = new long[ids.Count];
        _peerSlots = new Dictionary<string, int>(ids.Count, StringComparer.Ordinal);
        for (int i = 0; i < ids.Count; i++) _peerSlots[ids[i]] = i;
    }

    /// <summary>A picture of this member for status commands; each field is read once, so it is consistent enough
    /// for display, not a snapshot taken on the loop.</summary>
    public RaftMemberStatus GetStatus()
    {
        var state = State;
        long lastIndex = LastIndex;
        bool leading = state.Role == RaftRole.Leader;
        long now = Stopwatch.GetTimestamp();
        var ids = _options.Peers.Ids;
        var peers = new List<RaftPeerStatus>(ids.Count);
        for (int i = 0; i < ids.Count; i++)
        {
            bool self = string.Equals(ids[i], SelfId, StringComparison.Ordinal);
            long match = leading ? _driver.MatchIndexOf(i) : -1;
            long heard = Volatile.Read(ref _peerLastHeard[i]);
            TimeSpan? sinceHeard = self ? TimeSpan.Zero : heard == 0 ? null : Stopwatch.GetElapsedTime(heard, now);
            peers.Add(new RaftPeerStatus(ids[i], self, match, leading ? Math.Max(0, lastIndex - match) : -1, sinceHeard));
        }
        return new RaftMemberStatus(SelfId, Group, state.Role, state.Term, state.LeaderId, CommitIndex, AppliedIndex, lastIndex,
            _options.PreferredLeaderId, HaltReason, peers);
    }

    private void RecordHeardFrom(string peerId)
    {
        if (_peerSlots.TryGetValue(peerId, out int slot)) Volatile.Write(ref _peerLastHeard[slot], Stopwatch.GetTimestamp());
    }
}

/// <summary>One member's view of its Raft group (see <see cref="RaftNode.GetStatus"/>).</summary>
/// <param name="Peers">Every member in <c>dLegerPeers</c> order; match values are known only on the leader.</param>
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
    IReadOnlyList<RaftPeerStatus> Peers);

/// <param name="MatchIndex">The leader's match index for the peer (its own last index for itself); -1 when this
/// node does not lead.</param>
/// <param name="MatchLag">Entries the peer is behind the leader's last index; -1 when this node does not lead.</param>
/// <param name="SinceLastHeard">Time since this node last received a message from the peer; null if never.</param>
public sealed record RaftPeerStatus(string Id, bool IsSelf, long MatchIndex, long MatchLag, TimeSpan? SinceLastHeard);
