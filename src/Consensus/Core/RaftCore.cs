namespace RaftMq.Consensus.Core;

/// <summary>
/// The pure Raft state machine of one group member (etcd-raft style): messages and ticks in, <see cref="Ready"/>
/// batches out. It touches no clock, file, socket, thread or shared randomness, so a seeded simulator can run the
/// real code. Not thread-safe: the runtime drives it from one loop.
/// </summary>
/// <remarks>
/// Protocol: pre-vote, check-quorum (leader lease), a NOOP at the start of every term, commit of current-term
/// entries only, pipelined replication with a per-follower in-flight window, conflict-term hints, leadership
/// transfer, preferred leader, snapshot catch-up, and catch-up of a follower that lost acknowledged entries (its
/// log wiped or opened empty while it kept its hard state), told apart from delayed answers by a per-follower send
/// sequence echoed in every answer. Payload memory handed to <see cref="Propose"/> and entries
/// received in messages are kept by reference and must not be mutated afterwards.
/// </remarks>
internal sealed partial class RaftCore
{
    private readonly RaftOptions _options;
    private readonly IRaftLog _log;
    private readonly IRandomSource _random;
    private readonly PlantedBugs _bugs;

    // Per member of the configuration in effect (voters first, then learners); rebuilt when it changes.
    private string[] _peers = [];
    private Progress[] _progress = [];
    private int _selfIndex = -1;
    private int _preferredIndex = -1;

    /// <summary>Majority of the voters.</summary>
    private int _quorum;

    /// <summary>One slot per voter (commit counting).</summary>
    private long[] _matchScratch = [];
    private readonly List<Message> _outbox = new();

    private long _term;
    private string? _votedFor;
    private long _commit;
    private RaftRole _role;
    private string? _leaderId;

    /// <summary>Ticks since the last election reset (followers: since hearing from the leader; leader: since the last quorum check).</summary>
    private int _electionElapsed;
    private int _heartbeatElapsed;
    private int _randomizedElectionTimeout;

    /// <summary>Total ticks seen; a logical clock for back-off decisions, never wall time.</summary>
    private long _ticks;

    /// <param name="options">Group membership and protocol limits.</param>
    /// <param name="log">The durable log (entries and latest snapshot).</param>
    /// <param name="initial">The persisted term, vote and commit hint.</param>
    /// <param name="random">Randomness for election timeouts.</param>
    /// <param name="applied">
    /// Index up to which the state machine already holds the log (etcd's Config.Applied): committed entries are
    /// handed out after it. Clamped to [FirstIndex - 1, min(commit, LastIndex)]; 0 means "from the log's start".
    /// </param>
    public RaftCore(RaftOptions options, IRaftLog log, HardState initial, IRandomSource random, long applied = 0)
        : this(options, log, initial, random, PlantedBugs.None, applied)
    {
    }

    internal RaftCore(RaftOptions options, IRaftLog log, HardState initial, IRandomSource random, PlantedBugs bugs, long applied = 0)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(random);
        options.Validate();
        if (initial.Term < 0) throw new ArgumentException($"HardState.Term must be >= 0 (was {initial.Term})", nameof(initial));
        _options = options;
        _log = log;
        _random = random;
        _bugs = bugs;
        _term = initial.Term;
        _votedFor = initial.VotedFor;
        _persistedTerm = initial.Term;
        _persistedVote = initial.VotedFor;
        _unstableOffset = log.LastIndex + 1;
        long snapshotIndex = log.FirstIndex - 1;
        // The persisted commit is a hint (written lazily); it can only be trusted up to what the log holds.
        _commit = Math.Clamp(initial.Commit, snapshotIndex, log.LastIndex);
        // Entries up to the snapshot are in the state machine by definition; beyond the commit index nothing may be.
        _applied = Math.Clamp(applied, snapshotIndex, _commit);
        InitMembership(options, log, initial);
        BecomeFollower(_term, null);
    }

    public string SelfId => _options.SelfId;

    public SoftState SoftState => new(_role, _term, _leaderId);

    public HardState HardState => new(_term, _votedFor, _commit);

    public long CommitIndex => _commit;

    /// <summary>Index of the last entry handed out to apply (or restored from a snapshot, or given at construction).</summary>
    public long AppliedIndex => _applied;

    /// <summary>
    /// Copies the leader's match index of every member of <see cref="Membership"/>, voters then learners, into
    /// <paramref name="destination"/> (the leader's own slot holds its last index). Meaningful only on the leader.
    /// </summary>
    public void CopyMatchIndexes(Span<long> destination)
    {
        if (destination.Length < _progress.Length)
            throw new ArgumentException($"needs room for {_progress.Length} members", nameof(destination));
        for (int i = 0; i < _progress.Length; i++) destination[i] = i == _selfIndex ? LastIndex : _progress[i].Match;
    }

    /// <summary>Term of the entry at <paramref name="index"/> in the core's view of the log (durable plus unstable), or -1.</summary>
    internal long TermAtForTesting(long index) => TermAtOrUnknown(index);

    /// <summary>The leader's match index for <paramref name="peerId"/> (what it may count toward a commit).</summary>
    internal long MatchForTesting(string peerId) => IndexOfPeer(peerId) is >= 0 and var peer ? _progress[peer].Match : 0;

    internal string? TransferTargetForTesting => _transferTarget < 0 ? null : _peers[_transferTarget];

    /// <summary>Advances logical time by one tick: election timeouts, heartbeats, quorum checks, transfer timeouts.</summary>
    public void Tick()
    {
        _ticks++;
        if (_role == RaftRole.Leader)
        {
            TickLeader();
        }
        else
        {
            TickElection();
        }
    }

    /// <summary>
    /// Handles one message from a peer. Messages not addressed to this node, from unknown senders, or of stale
    /// terms are ignored (or answered so that a stale leader learns the newer term), as Raft prescribes.
    /// </summary>
    public void Step(Message message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!string.Equals(message.To, _options.SelfId, StringComparison.Ordinal)) return;
        if (string.Equals(message.From, _options.SelfId, StringComparison.Ordinal)) return;
        // Requests are taken from anyone: a leader or candidate may hold a configuration this node has not seen yet.
        // Answers count only from members of ours.
        int from = IndexOfPeer(message.From);
        if (from < 0 && IsResponse(message.Type)) return;
        if (!StepTerm(message)) return;

        switch (message.Type)
        {
            case MessageType.PreVote:
            case MessageType.Vote:
                HandleVoteRequest(message);
                break;
            case MessageType.PreVoteResponse:
            case MessageType.VoteResponse:
                HandleVoteResponse(message, from);
                break;
            case MessageType.Append:
            case MessageType.Heartbeat:
            case MessageType.InstallSnapshot:
                HandleFromLeader(message);
                break;
            case MessageType.AppendResponse:
            case MessageType.HeartbeatResponse:
            case MessageType.InstallSnapshotResponse:
                if (_role == RaftRole.Leader) HandleLeaderResponse(message, _progress[from]);
                break;
            case MessageType.TimeoutNow:
                HandleTimeoutNow();
                break;
        }
    }

    /// <summary>
    /// Tells the core a peer's connection dropped. The leader moves that follower to probe (once it answers
    /// heartbeats again, an empty probe confirms its match, so a follower that restarted with a lost log is
    /// noticed even when there is nothing new to send); a follower whose
    /// leader dropped gives up its leader lease and pre-votes after a short random delay (at most half an
    /// election timeout) rather than the full timeout. The delay keeps followers that all saw the same close
    /// from splitting the vote; the pre-vote still protects the group if the leader is actually alive.
    /// </summary>
    public void ReportUnreachable(string peerId)
    {
        int peer = IndexOfPeer(peerId);
        if (peer < 0 || peer == _selfIndex) return;
        if (_role == RaftRole.Leader)
        {
            Progress progress = _progress[peer];
            if (progress.State != ProgressState.Probe) progress.BecomeProbe();
            return;
        }
        if (_role == RaftRole.Follower && string.Equals(_leaderId, peerId, StringComparison.Ordinal) && Promotable && MayCampaign)
        {
            _leaderId = null;
            _electionElapsed = Math.Max(_electionElapsed, _options.ElectionTicks);
            _randomizedElectionTimeout = _electionElapsed + 1 + _random.Next(Math.Max(1, _options.ElectionTicks / 2));
        }
    }

    /// <summary>
    /// Handles the term of an incoming message. Returns false when the message is finished with (stale, or a
    /// vote request ignored under the leader lease).
    /// </summary>
    private bool StepTerm(Message m)
    {
        if (m.Term > _term)
        {
            if ((m.Type == MessageType.Vote || m.Type == MessageType.PreVote) && !m.Transfer && InLeaderLease)
            {
                // Check-quorum lease: we heard from a live leader within the election timeout, so a candidate
                // (e.g. a rejoining isolated node) must not depose it.
                return false;
            }
            if (m.Type == MessageType.PreVote || (m.Type == MessageType.PreVoteResponse && !m.Reject))
            {
                // Pre-votes are asked for and granted at the prospective term; nobody changes term for them.
                return true;
            }
            bool fromLeader = m.Type is MessageType.Append or MessageType.Heartbeat or MessageType.InstallSnapshot;
            BecomeFollower(m.Term, fromLeader ? m.From : null);
            return true;
        }
        if (m.Term < _term)
        {
            if (m.Type is MessageType.Append or MessageType.Heartbeat)
            {
                // A deposed leader that missed the new term: tell it, so it steps down.
                Send(new Message { Type = MessageType.AppendResponse, From = SelfId, To = m.From, Term = _term });
            }
            else if (m.Type == MessageType.PreVote)
            {
                Send(new Message { Type = MessageType.PreVoteResponse, From = SelfId, To = m.From, Term = _term, Reject = true });
            }
            return false;
        }
        return true;
    }

    private static bool IsResponse(MessageType type) => type is MessageType.PreVoteResponse or MessageType.VoteResponse
        or MessageType.AppendResponse or MessageType.HeartbeatResponse or MessageType.InstallSnapshotResponse;

    private bool InLeaderLease =>
        (_bugs & PlantedBugs.NoCheckQuorum) == 0 && _leaderId is not null && _electionElapsed < _options.ElectionTicks;

    private bool Promotable => !_options.RefuseToLead;

    private void Send(Message message) => _outbox.Add(message);

    private int IndexOfPeer(string id)
    {
        for (int i = 0; i < _peers.Length; i++)
        {
            if (string.Equals(_peers[i], id, StringComparison.Ordinal)) return i;
        }
        return -1;
    }

    private static InvalidOperationException Invariant(string what) => new("consensus invariant violated: " + what);
}
