namespace RaftMq.Consensus.Core;

/// <summary>
/// State that must be durable before any message that depends on it is sent: the current term, the vote
/// cast in it, and the commit index (the commit index may be persisted lazily; it is a hint on restart).
/// </summary>
public readonly record struct HardState(long Term, string? VotedFor, long Commit)
{
    public static readonly HardState Empty = new(0, null, 0);
}

/// <summary>
/// A state-machine snapshot: everything derived from entries up to and including <see cref="Index"/>.
/// <see cref="NextPos"/> is the pos of entry Index + 1, so a replica restored from it can keep the log's
/// byte positions. <see cref="Data"/> is opaque to consensus (for the broker: topic configs, offsets, ...).
/// <see cref="Membership"/> is the group's configuration at <see cref="Index"/> (null in snapshots written before
/// configurations were replicated: the group then still has its bootstrap configuration).
/// </summary>
public sealed record Snapshot(long Index, long Term, long NextPos, ReadOnlyMemory<byte> Data)
{
    public Membership? Membership { get; init; }
}
