namespace RaftMq.Consensus.Core;

/// <summary>Roles, election timeouts, pre-vote and vote.</summary>
internal sealed partial class RaftCore
{
    /// <summary>Per peer: null = no answer yet, true = granted, false = refused (current campaign only).</summary>
    private bool?[]? _votes;

    private bool?[] Votes => _votes ??= new bool?[_peers.Length];

    private void TickElection()
    {
        _electionElapsed++;
        if (_electionElapsed >= _randomizedElectionTimeout && Promotable && MayCampaign && _pendingSnapshot is null)
        {
            _electionElapsed = 0;
            Campaign(transfer: false);
        }
    }

    private void ResetElectionTimer()
    {
        _electionElapsed = 0;
        _heartbeatElapsed = 0;
        _randomizedElectionTimeout = _options.ElectionTicks + _random.Next(_options.ElectionTicks);
    }

    private void BecomeFollower(long term, string? leaderId)
    {
        if (term > _term)
        {
            _term = term;
            _votedFor = null;
        }
        _role = RaftRole.Follower;
        _leaderId = leaderId;
        ResetElectionTimer();
        ClearLeaderState();
    }

    private void BecomePreCandidate()
    {
        // A pre-candidate keeps its term and vote: a failed pre-vote leaves no trace on anybody.
        _role = RaftRole.PreCandidate;
        _leaderId = null;
        ResetElectionTimer();
        ClearLeaderState();
    }

    private void BecomeCandidate()
    {
        _term++;
        _votedFor = SelfId;
        _role = RaftRole.Candidate;
        _leaderId = null;
        ResetElectionTimer();
        ClearLeaderState();
    }

    private void BecomeLeader()
    {
        _role = RaftRole.Leader;
        _leaderId = SelfId;
        ResetElectionTimer();
        ClearLeaderState();
        long next = LastIndex + 1;
        for (int i = 0; i < _progress.Length; i++) _progress[i].Reset(next);
        // Raft §5.4.2 / §8: a leader cannot count replicas of earlier-term entries, so it commits them
        // indirectly by committing an entry of its own term right away.
        AppendOwn(new LogEntry(next, _term, NextPos, EntryType.Noop, ReadOnlyMemory<byte>.Empty));
        BroadcastAppend();
    }

    private void Campaign(bool transfer)
    {
        bool preVote = !transfer && (_bugs & PlantedBugs.SkipPreVote) == 0;
        if (preVote) BecomePreCandidate();
        else BecomeCandidate();
        RequestVotes(preVote, transfer);
    }

    private void RequestVotes(bool preVote, bool transfer)
    {
        bool?[] votes = Votes;
        Array.Clear(votes);
        // A candidate removed by its latest (uncommitted) configuration campaigns without a vote of its own.
        if (IsVoter) votes[_selfIndex] = true;
        if (TallyAndDecide(preVote)) return;

        long campaignTerm = preVote ? _term + 1 : _term;
        long lastIndex = LastIndex;
        long lastTerm = LastTerm;
        MessageType type = preVote ? MessageType.PreVote : MessageType.Vote;
        bool askLearners = (_bugs & PlantedBugs.CountLearnerVote) != 0;
        for (int i = 0; i < _peers.Length; i++)
        {
            if (i == _selfIndex || (!_isVoter[i] && !askLearners)) continue;
            Send(new Message
            {
                Type = type, From = SelfId, To = _peers[i], Term = campaignTerm,
                LogIndex = lastIndex, LogTerm = lastTerm, Transfer = transfer,
            });
        }
    }

    private void HandleVoteRequest(Message m)
    {
        bool preVote = m.Type == MessageType.PreVote;
        bool canVote =
            string.Equals(_votedFor, m.From, StringComparison.Ordinal)
            || (_votedFor is null && _leaderId is null)
            || (preVote && m.Term > _term);
        MessageType responseType = preVote ? MessageType.PreVoteResponse : MessageType.VoteResponse;
        if (canVote && Promotable && IsUpToDate(m.LogTerm, m.LogIndex))
        {
            // Granted at the requested term. A real vote is recorded in HardState, which the Ready persists
            // before this response can leave the node.
            Send(new Message { Type = responseType, From = SelfId, To = m.From, Term = m.Term });
            if (!preVote)
            {
                _electionElapsed = 0;
                _votedFor = m.From;
            }
            return;
        }
        Send(new Message { Type = responseType, From = SelfId, To = m.From, Term = _term, Reject = true });
    }

    private void HandleVoteResponse(Message m, int from)
    {
        if (m.Type == MessageType.PreVoteResponse)
        {
            // Grants come back at the prospective term; refusals at the voter's (our) term.
            if (_role != RaftRole.PreCandidate || m.Term != (m.Reject ? _term : _term + 1)) return;
            Votes[from] = !m.Reject;
            TallyAndDecide(preVote: true);
            return;
        }
        if (_role != RaftRole.Candidate || m.Term != _term) return;
        Votes[from] = !m.Reject;
        TallyAndDecide(preVote: false);
    }

    /// <summary>Counts the voters' votes of the current campaign and acts on a decided outcome; true when decided.</summary>
    private bool TallyAndDecide(bool preVote)
    {
        int granted = 0;
        int refused = 0;
        bool?[] votes = Votes;
        bool countLearners = (_bugs & PlantedBugs.CountLearnerVote) != 0;
        for (int i = 0; i < votes.Length; i++)
        {
            if (!_isVoter[i] && !countLearners) continue;
            if (votes[i] == true) granted++;
            else if (votes[i] == false) refused++;
        }
        if (granted >= _quorum)
        {
            if (preVote)
            {
                // The pre-vote showed we could win: now run the real election at term + 1.
                BecomeCandidate();
                RequestVotes(preVote: false, transfer: false);
            }
            else
            {
                BecomeLeader();
            }
            return true;
        }
        if (refused >= _quorum)
        {
            BecomeFollower(_term, null);
            return true;
        }
        return false;
    }
}
