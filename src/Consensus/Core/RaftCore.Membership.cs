namespace RaftMq.Consensus.Core;

/// <summary>
/// The group's configuration as replicated state: Config entries take effect when appended (and are reverted when a
/// conflicting suffix is truncated), one voter change at a time, proposed only after an entry of the leader's own term
/// committed and while no other change is uncommitted. Voters elect and count toward commit; learners only replicate.
/// </summary>
internal sealed partial class RaftCore
{
    /// <summary>A learner marked for promotion is promoted once its match index is at most this far behind the commit index.</summary>
    internal const long PromotionLagEntries = 64;

    /// <summary>The configuration at <see cref="_baseMembershipIndex"/> (a snapshot's, or the bootstrap one at 0).</summary>
    private Membership _baseMembership = null!;
    private long _baseMembershipIndex;

    /// <summary>Config entries in the log after the base, in index order (the latest is in effect).</summary>
    private readonly List<(long Index, Membership Config)> _configs = new();
    private Membership _membership = null!;
    private bool[] _isVoter = [];

    /// <summary>The configuration in effect (the latest in the log, committed or not).</summary>
    public Membership Membership => _membership;

    /// <summary>Index of the entry that holds <see cref="Membership"/> (0 for the bootstrap configuration).</summary>
    public long MembershipIndex => _configs.Count > 0 ? _configs[^1].Index : _baseMembershipIndex;

    /// <summary>True when this node is a voter of the configuration in effect.</summary>
    public bool IsVoter => _selfIndex >= 0 && _isVoter[_selfIndex];

    /// <summary>
    /// The node's hard state says it knew committed entries, but its log and snapshot are gone (wiped after corruption):
    /// it cannot know the configuration, and the bootstrap one may be long outdated (a group grown from one node would
    /// let it elect itself alone), so it does not campaign until a leader has sent it entries or a snapshot.
    /// </summary>
    private bool _lostLog;

    /// <summary>
    /// Campaigns are allowed: a voter that knows its log's configuration, or a node that its latest configuration
    /// removes while that configuration is not known committed. The latter may hold entries (that configuration among
    /// them) that the remaining voters need; they refuse their votes to each other for lack of it, and it must be able
    /// to lead (counting only their votes) until the configuration commits, then step down (Raft dissertation §4.2.2).
    /// </summary>
    private bool MayCampaign => !_lostLog && (IsVoter || (_selfIndex < 0 && MembershipIndex > _commit));

    /// <summary>The configuration in effect at <paramref name="index"/> (for a snapshot taken there).</summary>
    public Membership MembershipAt(long index)
    {
        for (int i = _configs.Count - 1; i >= 0; i--)
        {
            if (_configs[i].Index <= index) return _configs[i].Config;
        }
        return _baseMembership;
    }

    /// <summary>
    /// Proposes the next configuration. It may differ from the current one by at most one voter (learners are free);
    /// refused while a change is uncommitted or before an entry of this leader's term committed (the single-server
    /// change rule that keeps two configurations' majorities overlapping across leader changes).
    /// </summary>
    public MembershipChangeResult ProposeMembership(Membership next)
    {
        ArgumentNullException.ThrowIfNull(next);
        if (_role != RaftRole.Leader) return MembershipChangeResult.NotLeader;
        if (_transferTarget >= 0) return MembershipChangeResult.Transferring;
        if (next.Problem() is not null || next.VoterDifference(_membership) > 1) return MembershipChangeResult.Invalid;
        if (!MembershipChangeAllowed) return MembershipChangeResult.ChangeInProgress;
        if (next.Equals(_membership)) return MembershipChangeResult.Accepted;
        byte[] body = next.Encode();
        var entry = new LogEntry(LastIndex + 1, _term, NextPos, EntryType.Config, body);
        AppendOwn(entry);
        _uncommitted.Enqueue((entry.Index, entry.Size));
        _uncommittedBytes += entry.Size;
        BroadcastAppend();
        return MembershipChangeResult.Accepted;
    }

    /// <summary>An entry of this term committed and no configuration is uncommitted.</summary>
    private bool MembershipChangeAllowed =>
        TermAtOrUnknown(_commit) == _term
        && ((_bugs & PlantedBugs.TwoMembershipChangesInFlight) != 0 || LatestConfigIndex <= _commit);

    private long LatestConfigIndex => _configs.Count > 0 ? _configs[^1].Index : _baseMembershipIndex;

    private void InitMembership(RaftOptions options, IRaftLog log, HardState initial)
    {
        _lostLog = initial.Commit > 0 && log.LastIndex == 0 && log.LatestSnapshot is null;
        Snapshot? snapshot = log.LatestSnapshot;
        if (snapshot?.Membership is { } fromSnapshot)
        {
            _baseMembership = fromSnapshot;
            _baseMembershipIndex = snapshot.Index;
        }
        else
        {
            _baseMembership = options.InitialMembership ?? Membership.OfVoters(options.Peers);
            _baseMembershipIndex = 0;
        }
        long from = Math.Max(_baseMembershipIndex + 1, log.FirstIndex);
        foreach (LogEntry entry in log.ConfigEntries(from)) _configs.Add((entry.Index, Membership.Decode(entry.Body.Span)));
        RefreshMembership();
    }

    /// <summary>Entries entered the log (appended by the leader or received): their configurations take effect.</summary>
    private void TrackConfigs(IReadOnlyList<LogEntry> entries, int start)
    {
        if (entries.Count > start) _lostLog = false;
        bool changed = false;
        for (int i = start; i < entries.Count; i++)
        {
            if (entries[i].Type != EntryType.Config) continue;
            _configs.Add((entries[i].Index, Membership.Decode(entries[i].Body.Span)));
            changed = true;
        }
        if (changed) RefreshMembership();
    }

    /// <summary>The log from <paramref name="index"/> on was dropped: configurations there no longer apply.</summary>
    private void ForgetConfigsFrom(long index)
    {
        int before = _configs.Count;
        _configs.RemoveAll(c => c.Index >= index);
        if (_configs.Count != before) RefreshMembership();
    }

    /// <summary>The log was replaced by a snapshot: its configuration is the base.</summary>
    private void ResetMembershipTo(Snapshot snapshot)
    {
        _lostLog = false;
        _baseMembership = snapshot.Membership ?? _membership;
        _baseMembershipIndex = snapshot.Index;
        _configs.Clear();
        RefreshMembership();
    }

    /// <summary>The commit index moved: a removed leader steps down once its removal committed; learners marked for
    /// promotion are promoted when caught up.</summary>
    private void OnCommitAdvanced()
    {
        if ((_bugs & PlantedBugs.ApplyConfigurationAtCommit) != 0) RefreshMembership();
        if (_role != RaftRole.Leader) return;
        if (!IsVoter && _commit >= MembershipIndex)
        {
            StepDownAfterRemoval();
        }
    }

    private void StepDownAfterRemoval()
    {
        // Hand over to the most up-to-date voter at once rather than leaving the group an election timeout leaderless.
        int best = -1;
        for (int i = 0; i < _progress.Length; i++)
        {
            if (_isVoter[i] && i != _selfIndex && (best < 0 || _progress[i].Match > _progress[best].Match)) best = i;
        }
        if (best >= 0 && _progress[best].Match == LastIndex) SendTimeoutNow(_progress[best]);
        BecomeFollower(_term, null);
    }

    /// <summary>On heartbeat ticks: promotes one learner marked for promotion that is caught up.</summary>
    private void ConsiderPromotions()
    {
        if (_transferTarget >= 0 || !MembershipChangeAllowed) return;
        foreach (Member learner in _membership.Learners)
        {
            if (!learner.PromoteWhenCaughtUp) continue;
            Progress progress = _progress[IndexOfPeer(learner.Id)];
            if (progress.State == ProgressState.Replicate && progress.Match + PromotionLagEntries >= _commit)
            {
                ProposeMembership(_membership.Promote(learner.Id));
                return;
            }
        }
    }

    /// <summary>Makes the configuration in effect the latest one (with the planted bug: the latest committed one).</summary>
    private void RefreshMembership()
    {
        Membership next = (_bugs & PlantedBugs.ApplyConfigurationAtCommit) != 0 ? MembershipAt(_commit) : (_configs.Count > 0 ? _configs[^1].Config : _baseMembership);
        if (ReferenceEquals(next, _membership)) return;
        ApplyMembership(next);
    }

    /// <summary>Rebuilds the per-member arrays for <paramref name="next"/>, keeping the progress of members that stay.</summary>
    private void ApplyMembership(Membership next)
    {
        string? transferTo = _transferTarget >= 0 ? _peers[_transferTarget] : null;
        var members = next.All.ToArray();
        var peers = new string[members.Length];
        var progress = new Progress[members.Length];
        var isVoter = new bool[members.Length];
        for (int i = 0; i < members.Length; i++)
        {
            peers[i] = members[i].Id;
            isVoter[i] = i < next.Voters.Count;
            int old = IndexOfPeer(peers[i]);
            if (old >= 0)
            {
                progress[i] = _progress[old];
                continue;
            }
            progress[i] = new Progress(peers[i], _options.MaxInflightAppends, _options.MaxInflightBytes);
            // Probe from the last entry (normally the configuration that added it): the answer tells where it stands.
            progress[i].Reset(Math.Max(1, LastIndex));
            // A new member gets one check-quorum round to answer before it counts as silent.
            progress[i].RecentActive = true;
        }
        _membership = next;
        _peers = peers;
        _progress = progress;
        _isVoter = isVoter;
        _selfIndex = IndexOfPeer(_options.SelfId);
        _quorum = Quorum.Size(next.Voters.Count);
        _matchScratch = new long[next.Voters.Count];
        _votes = null;
        int preferred = _options.PreferredLeaderId is null ? -1 : IndexOfPeer(_options.PreferredLeaderId);
        _preferredIndex = preferred >= 0 && isVoter[preferred] ? preferred : -1;
        int target = transferTo is null ? -1 : IndexOfPeer(transferTo);
        _transferTarget = target >= 0 && isVoter[target] ? target : -1;
        if (_role is RaftRole.PreCandidate or RaftRole.Candidate)
        {
            if (IsVoter) Votes[_selfIndex] = true;
            else if (!MayCampaign) BecomeFollower(_term, null);
        }
    }
}

/// <summary>Why a configuration change was not accepted.</summary>
public enum MembershipChangeResult : byte
{
    Accepted,
    NotLeader,

    /// <summary>A leadership transfer is in progress; retry after it ends.</summary>
    Transferring,

    /// <summary>Another change is not committed yet, or this leader has not committed an entry of its term yet; retry.</summary>
    ChangeInProgress,

    /// <summary>The configuration has no voter, repeats an id, or changes more than one voter at once.</summary>
    Invalid,
}
