namespace RaftMq.Consensus.Core;

internal enum ProgressState : byte
{
    /// <summary>Next is a guess: send one Append at a time and wait for the answer.</summary>
    Probe,

    /// <summary>The follower is known to match up to Match: stream Appends optimistically within the window.</summary>
    Replicate,

    /// <summary>An InstallSnapshot is on its way; send nothing else until it is answered or times out.</summary>
    Snapshot,
}

/// <summary>The leader's view of one follower's log.</summary>
internal sealed class Progress
{
    public Progress(string id, int maxInflight, long maxInflightBytes)
    {
        Id = id;
        Inflights = new Inflights(maxInflight, maxInflightBytes);
    }

    public string Id { get; }

    /// <summary>Highest index known to be durable on the follower and identical to the leader's.</summary>
    public long Match { get; private set; }

    /// <summary>Index of the next entry to send.</summary>
    public long Next { get; set; }

    public ProgressState State { get; private set; }

    /// <summary>Probe state: an Append is outstanding; wait for its answer (or a heartbeat answer) before the next.</summary>
    public bool ProbeSent { get; set; }

    /// <summary>
    /// Leader tick at which sending to this follower last paused (a probe went out, or the window filled). Only the
    /// answer to a heartbeat sent after it may unpause: the answers to older heartbeats say nothing about the paused
    /// message, and a resumed follower answers hundreds of them in one burst.
    /// </summary>
    public long PausedAtTick { get; private set; }

    /// <summary>Heard from since the last check-quorum round.</summary>
    public bool RecentActive { get; set; }

    /// <summary>Leader tick at which this follower last answered anything.</summary>
    public long LastHeardTick { get; set; }

    /// <summary>Bytes this follower may still be sent in the current tick while it is paced (may go below zero by one
    /// Append: the Append that crosses the budget is sent whole).</summary>
    public long CatchUpCredit { get; set; }

    /// <summary>Snapshot state: the index of the snapshot sent.</summary>
    public long PendingSnapshot { get; private set; }

    /// <summary>Leader ticks without progress while entries are outstanding (replicate) or a snapshot is pending.</summary>
    public int StallTicks { get; set; }

    public Inflights Inflights { get; }

    /// <summary>Sequence number of the last Append or InstallSnapshot sent to this follower in this term (from 1).</summary>
    public long LastSentSeq { get; private set; }

    /// <summary><see cref="LastSentSeq"/> when Match last changed: answers to requests sent later see at least Match.</summary>
    public long MatchChangedAtSeq { get; private set; }

    /// <summary><see cref="LastSentSeq"/> when the follower was found to have lost entries: older acknowledgements are void.</summary>
    public long LostEntriesAtSeq { get; private set; }

    public bool IsPaused => State switch
    {
        ProgressState.Probe => ProbeSent,
        ProgressState.Replicate => Inflights.Full,
        _ => true,
    };

    public void Reset(long next)
    {
        Match = 0;
        Next = next;
        LastSentSeq = 0;
        MatchChangedAtSeq = 0;
        LostEntriesAtSeq = 0;
        State = ProgressState.Probe;
        ProbeSent = false;
        RecentActive = false;
        PendingSnapshot = 0;
        StallTicks = 0;
        PausedAtTick = 0;
        Inflights.Reset();
    }

    public void BecomeProbe()
    {
        Next = State == ProgressState.Snapshot ? Math.Max(Match + 1, PendingSnapshot + 1) : Match + 1;
        State = ProgressState.Probe;
        ProbeSent = false;
        PendingSnapshot = 0;
        StallTicks = 0;
        Inflights.Reset();
    }

    public void BecomeReplicate()
    {
        Next = Match + 1;
        State = ProgressState.Replicate;
        ProbeSent = false;
        StallTicks = 0;
        Inflights.Reset();
    }

    public void BecomeSnapshot(long snapshotIndex)
    {
        State = ProgressState.Snapshot;
        PendingSnapshot = snapshotIndex;
        ProbeSent = false;
        StallTicks = 0;
        Inflights.Reset();
    }

    /// <summary>Records an acknowledgement up to <paramref name="index"/>; true when Match moved forward.</summary>
    public bool TryAdvanceMatch(long index)
    {
        if (index <= Match)
        {
            return false;
        }
        Match = index;
        MatchChangedAtSeq = LastSentSeq;
        if (Next <= index) Next = index + 1;
        StallTicks = 0;
        ProbeSent = false;
        return true;
    }

    /// <summary>Numbers the next Append or InstallSnapshot; the follower echoes it in its answer.</summary>
    public long StampSend() => ++LastSentSeq;

    /// <summary>
    /// True when an answer echoing <paramref name="seq"/> answers a request sent after Match last changed. The
    /// follower acknowledged Match (durably) before the leader learnt it, so it processed such a request while
    /// holding at least Match entries agreeing with the leader, unless it lost them since.
    /// </summary>
    public bool AnswersRequestSentAfterMatch(long seq) => seq > MatchChangedAtSeq;

    /// <summary>An acknowledgement of a request sent before the follower was found to have lost entries may
    /// describe the log it lost, so it must not count.</summary>
    public bool PredatesLostEntries(long seq) => seq <= LostEntriesAtSeq;

    /// <summary>
    /// The follower demonstrably lost entries it had acknowledged (its log was wiped or opened empty): nothing is
    /// known to match any more. Lowering Match never un-commits anything (the commit index only grows); it only
    /// stops this follower from counting toward new commits until it acknowledges again.
    /// </summary>
    public void ForgetMatch()
    {
        Match = 0;
        MatchChangedAtSeq = LastSentSeq;
        LostEntriesAtSeq = LastSentSeq;
        BecomeProbe();
    }

    /// <summary>Replicate state: entries up to <paramref name="lastIndex"/> (<paramref name="bytes"/> of them) were just sent at <paramref name="tick"/>.</summary>
    public void SentOptimistically(long lastIndex, long bytes, long tick)
    {
        Next = lastIndex + 1;
        Inflights.Add(lastIndex, bytes);
        if (Inflights.Full) PausedAtTick = tick;
    }

    /// <summary>Probe state: an Append went out at <paramref name="tick"/>; wait for its answer.</summary>
    public void SentProbe(long tick)
    {
        ProbeSent = true;
        PausedAtTick = tick;
    }

    /// <summary>
    /// True when a heartbeat answer may unpause sending: it answers a heartbeat sent after the pause began (the
    /// heartbeat carries the leader's tick and the follower echoes it). A follower that does not echo (0) is given
    /// one unpause per heartbeat period instead.
    /// </summary>
    public bool HeartbeatAnswerUnpauses(long echoedTick, long now, int heartbeatTicks) =>
        echoedTick > 0 ? echoedTick > PausedAtTick : now - PausedAtTick >= heartbeatTicks;
}
