using System.Diagnostics;
using RaftMq.Consensus.Core;

namespace RaftMq.Consensus.Runtime;

/// <summary>
/// What the loop publishes about replication for readers on other threads (status commands, metrics): the last
/// index, each follower's match index while leading, and when each peer was last heard from.
/// </summary>
public sealed partial class RaftNode
{
    private long[] _peerMatch = [];
    private long[] _peerMatchScratch = [];
    private long[] _peerLastHeard = [];
    private Dictionary<string, int> _peerSlots = new(StringComparer.Ordinal);
    private long _lastIndexPublished;

    /// <summary>Peers in <c>dLegerPeers</c> order.</summary>
    public IReadOnlyList<string> Peers => _options.Peers.Ids;

    /// <summary>The preferred leader (<c>preferredLeaderId</c>), or null.</summary>
    public string? PreferredLeaderId => _options.PreferredLeaderId;

    /// <summary>Last index of this node's log as last seen by the loop.</summary>
    public long LastIndex => Volatile.Read(ref _lastIndexPublished);

    /// <summary>Bytes of log this node retains (first retained entry to the end of the log).</summary>
    public long RetainedLogBytes => ReadLog(static log => log.NextPos - log.FirstPos, 0);

    private void InitProgressSlots()
    {
        var ids = _options.Peers.Ids;
        _peerMatch = new long[ids.Count];
        _peerMatchScratch = new long[ids.Count];
        _peerLastHeard = new long[ids.Count];
        _peerSlots = new Dictionary<string, int>(ids.Count, StringComparer.Ordinal);
        for (int i = 0; i < ids.Count; i++) _peerSlots[ids[i]] = i;
        _lastIndexPublished = _log.LastIndex;
    }

    /// <summary>A consistent-enough picture of this member for status commands: each field is read once.</summary>
    public RaftMemberStatus GetStatus()
    {
        var status = _status;
        long lastIndex = LastIndex;
        bool leading = status.State.Role == RaftRole.Leader;
        long now = Stopwatch.GetTimestamp();
        var peers = new List<RaftPeerStatus>(_peerMatch.Length);
        var ids = _options.Peers.Ids;
        for (int i = 0; i < ids.Count; i++)
        {
            bool self = string.Equals(ids[i], SelfId, StringComparison.Ordinal);
            long match = leading ? Volatile.Read(ref _peerMatch[i]) : -1;
            long heard = Volatile.Read(ref _peerLastHeard[i]);
            TimeSpan? sinceHeard = self ? TimeSpan.Zero : heard == 0 ? null : Stopwatch.GetElapsedTime(heard, now);
            peers.Add(new RaftPeerStatus(ids[i], self, match, leading ? Math.Max(0, lastIndex - match) : -1, sinceHeard));
        }
        return new RaftMemberStatus(SelfId, Group, status.State.Role, status.State.Term, status.State.LeaderId, status.Commit,
            AppliedIndex, lastIndex, _options.PreferredLeaderId, _haltReason, peers);
    }

    private void PublishProgress()
    {
        Volatile.Write(ref _lastIndexPublished, _core.LastIndex);
        if (_core.SoftState.Role != RaftRole.Leader) return;
        _core.CopyMatchIndexes(_peerMatchScratch);
        for (int i = 0; i < _peerMatchScratch.Length; i++) Volatile.Write(ref _peerMatch[i], _peerMatchScratch[i]);
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
