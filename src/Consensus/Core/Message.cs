namespace RaftMq.Consensus.Core;

public enum MessageType : byte
{
    PreVote = 1,
    PreVoteResponse = 2,
    Vote = 3,
    VoteResponse = 4,
    Append = 5,
    AppendResponse = 6,
    Heartbeat = 7,
    HeartbeatResponse = 8,
    InstallSnapshot = 9,
    InstallSnapshotResponse = 10,
    TimeoutNow = 11,
}

/// <summary>
/// A message between group members. One flat shape for all types (as in etcd-raft); fields a type does not
/// use keep their defaults. Messages are immutable once created and may be delivered zero, one or many
/// times, in any order.
/// </summary>
public sealed record Message
{
    public required MessageType Type { get; init; }
    public required string From { get; init; }
    public required string To { get; init; }

    /// <summary>Sender's term (for PreVote: the term the sender would campaign at).</summary>
    public long Term { get; init; }

    /// <summary>Vote requests: the candidate's last log index and term. Append: index and term before Entries.
    /// AppendResponse and InstallSnapshotResponse: the send sequence of the request answered (its Index, echoed).</summary>
    public long LogIndex { get; init; }
    public long LogTerm { get; init; }

    /// <summary>Append: entries to store after (LogIndex, LogTerm); may be empty.</summary>
    public IReadOnlyList<LogEntry> Entries { get; init; } = Array.Empty<LogEntry>();

    /// <summary>Append/Heartbeat: leader's commit index.</summary>
    public long Commit { get; init; }

    /// <summary>Responses: true when the request was refused (vote not granted, append did not match).</summary>
    public bool Reject { get; init; }

    /// <summary>AppendResponse accepted: the follower's last index matching the leader. Rejected: the index probed.
    /// Append and InstallSnapshot: the leader's send sequence for this follower in this term (1, 2, ...), echoed in
    /// the answer's LogIndex so that the leader can tell a fresh answer from a delayed or duplicated older one.</summary>
    public long Index { get; init; }

    /// <summary>AppendResponse rejected: conflict hint, the term of the follower's entry at the probed index
    /// (or 0 when its log is shorter) and the first index the follower holds of that term (or its last index + 1).</summary>
    public long HintTerm { get; init; }
    public long HintIndex { get; init; }

    /// <summary>InstallSnapshot: the leader's snapshot.</summary>
    public Snapshot? Snapshot { get; init; }

    /// <summary>Vote/PreVote caused by a leadership transfer: voters grant it even while they hear from a leader.</summary>
    public bool Transfer { get; init; }
}
