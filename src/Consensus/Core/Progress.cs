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
    public Progress(string id, int maxInflight)
    {
        Id = id;
        Inflights = new Inflights(maxInflight);
    }

    public string Id { get; }

    /// <summary>Highest index known to be durable on the follower and identical to the leader's.</summary>
    public long Match { get; private set; }

    /// <summary>Index of the next entry to send.</summary>
    public long Next { get; set; }

    public ProgressState State { get; private set; }

    /// <summary>Probe state: an Append is outstanding; wait for its answer (or a heartbeat answer) before the next.</summary>
    public bool ProbeSent { get; set; }

    /// <summary>Heard from since the last check-quorum round.</summary>
    public bool RecentActive { get; set; }

    /// <summary>Snapshot state: the index of the snapshot sent.</summary>
    public long PendingSnapshot { get; private set; }

    /// <summary>Leader ticks without progress while entries are outstanding (replicate) or a snapshot is pending.</summary>
    public int StallTicks { get; set; }

    public Inflights Inflights { get; }

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
        State = ProgressState.Probe;
        ProbeSent = false;
        RecentActive = false;
        PendingSnapshot = 0;
        StallTicks = 0;
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
        if (Next <= index) Next = index + 1;
        StallTicks = 0;
        ProbeSent = false;
        return true;
    }

    /// <summary>Replicate state: entries up to <paramref name="lastIndex"/> were just sent.</summary>
    public void SentOptimistically(long lastIndex)
    {
        Next = lastIndex + 1;
        Inflights.Add(lastIndex);
    }
}
