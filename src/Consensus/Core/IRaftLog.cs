namespace RaftMq.Consensus.Core;

/// <summary>
/// The core's read-only view of the durable log (the runtime owns writing it). Indexes in
/// [FirstIndex, LastIndex] are readable; TermAt also answers for FirstIndex - 1 (the snapshot/base entry)
/// and returns 0 for index 0. Anything the core proposed but the runtime has not yet reported persisted
/// (via Advance) is held by the core itself, not here.
/// </summary>
internal interface IRaftLog
{
    long FirstIndex { get; }
    long LastIndex { get; }

    /// <summary>Pos of entry LastIndex + 1 (where the next appended entry goes).</summary>
    long NextPos { get; }

    long TermAt(long index);

    /// <summary>Entries from <paramref name="from"/> to <paramref name="toInclusive"/>, stopping early once
    /// <paramref name="maxBytes"/> is reached, but always at least one entry when the range is not empty.</summary>
    IReadOnlyList<LogEntry> Entries(long from, long toInclusive, long maxBytes);

    /// <summary>The <see cref="EntryType.Config"/> entries at index <paramref name="from"/> or later, in index order
    /// (read once, when the core starts, to rebuild the group's configuration).</summary>
    IReadOnlyList<LogEntry> ConfigEntries(long from);

    /// <summary>The latest durable state-machine snapshot, or null. Needed when a follower is behind FirstIndex.</summary>
    Snapshot? LatestSnapshot { get; }
}

/// <summary>Deterministic randomness, injected (the core never touches a shared or time-seeded RNG).</summary>
internal interface IRandomSource
{
    /// <summary>Uniform integer in [0, maxExclusive).</summary>
    int Next(int maxExclusive);
}
