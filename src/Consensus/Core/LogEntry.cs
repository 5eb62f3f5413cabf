namespace RaftMq.Consensus.Core;

/// <summary>What an entry is for. Stored in the entry header's magic field.</summary>
public enum EntryType : byte
{
    /// <summary>An application payload (for the broker: one stored message or one control record).</summary>
    Normal = 1,

    /// <summary>Appended by a new leader at the start of its term so that it can commit earlier entries (Raft §5.4.2).</summary>
    Noop = 2,

    /// <summary>A new group configuration (<see cref="Membership.Encode"/> in the body), in effect from the moment it is
    /// appended to a log (Raft dissertation §4.1). The state machine treats it like a Noop.</summary>
    Config = 3,
}

/// <summary>
/// One Raft log entry. Indexes start at 1 (index 0 / term 0 / pos 0 is the empty-log sentinel).
/// <see cref="Pos"/> is the global byte position of the entry's header: the first entry has pos 0 and every
/// next entry has pos = previous pos + previous <see cref="Size"/>, so the same pos names the same entry
/// on every replica and serves as the broker's CommitLog physical offset (body at pos + header size).
/// </summary>
public sealed record LogEntry(long Index, long Term, long Pos, EntryType Type, ReadOnlyMemory<byte> Body)
{
    /// <summary>Bytes the entry occupies in a data segment: fixed header plus body.</summary>
    public int Size => EntryLayout.HeaderSize + Body.Length;

    /// <summary>Position of the next entry.</summary>
    public long EndPos => Pos + Size;
}

/// <summary>Facts about the on-disk entry layout that the pure core needs to compute positions.</summary>
public static class EntryLayout
{
    /// <summary>
    /// Header bytes before the body (big-endian): magic/type 4 | total size 4 | index 8 | term 8 | pos 8 |
    /// reserved 4 | header CRC32C 4 | body CRC32C 4 | body length 4 = 48 (DLedger's header size).
    /// </summary>
    public const int HeaderSize = 48;
}
