using RaftMq.Consensus.Core;

namespace RaftMq.Consensus.Runtime;

/// <summary>What the loop publishes about replication for readers on other threads (status commands, metrics): the
/// last index, the configuration in effect and, while leading, each member's match index.</summary>
internal sealed partial class NodeDriver
{
    private long[] _matchScratch = [];
    private long _lastIndexPublished;
    private volatile MembershipProgress _membershipProgress = null!;

    /// <summary>Last index of the log as last published (readable from any thread).</summary>
    public long LastIndex => Volatile.Read(ref _lastIndexPublished);

    /// <summary>The configuration in effect and the leader's match index of each member (voters then learners), as
    /// last published; the match values are meaningful only while <see cref="State"/> says leader.</summary>
    public MembershipProgress Membership => _membershipProgress;

    private void InitProgress()
    {
        _lastIndexPublished = _log.LastIndex;
        PublishMembership(notify: false);
    }

    private void PublishProgress()
    {
        Volatile.Write(ref _lastIndexPublished, _core.LastIndex);
        if (!ReferenceEquals(_core.Membership, _membershipProgress.Membership)) PublishMembership(notify: true);
        if (_core.SoftState.Role != RaftRole.Leader) return;
        var published = _membershipProgress;
        _core.CopyMatchIndexes(_matchScratch);
        for (int i = 0; i < _matchScratch.Length; i++) Volatile.Write(ref published.Match[i], _matchScratch[i]);
    }

    /// <param name="notify">False at construction: the host reads <see cref="Membership"/> once it is built.</param>
    private void PublishMembership(bool notify)
    {
        var membership = _core.Membership;
        int members = membership.Voters.Count + membership.Learners.Count;
        _matchScratch = new long[members];
        _membershipProgress = new MembershipProgress(membership, _core.MembershipIndex, new long[members]);
        if (notify) _host.MembershipChanged(membership);
    }
}

/// <summary>A configuration with the leader's match index per member (voters then learners; written by the loop).</summary>
internal sealed record MembershipProgress(Membership Membership, long Index, long[] Match);
