using RaftMq.Consensus.Core;

namespace RaftMq.Consensus.Tests.Simulation.Checkers;

/// <summary>
/// The one committed sequence, as learned from applies on any node: index -> entry, plus the rolling hash of
/// the sequence up to each index (snapshots carry that hash, so a restored snapshot can be checked too).
/// </summary>
internal sealed class AppliedHistory
{
    private readonly List<LogEntry> _entries = new() { null! };
    private readonly List<ulong> _hashes = new() { 0 };

    /// <summary>Highest committed index seen applied anywhere.</summary>
    public long LastIndex => _entries.Count - 1;

    public LogEntry At(long index) => _entries[(int)index];

    public ulong HashAt(long index) => _hashes[(int)index];

    public bool Knows(long index) => index < _entries.Count;

    /// <summary>Appends the next committed entry (the caller has checked it is the next index).</summary>
    public void Add(LogEntry entry)
    {
        _hashes.Add(Mix(_hashes[^1], entry));
        _entries.Add(entry);
    }

    public static ulong Mix(ulong hash, LogEntry entry)
    {
        // FNV-1a over index, term, pos and body: cheap, deterministic, good enough to spot divergence.
        const ulong prime = 1099511628211;
        hash ^= (ulong)entry.Index; hash *= prime;
        hash ^= (ulong)entry.Term; hash *= prime;
        hash ^= (ulong)entry.Pos; hash *= prime;
        foreach (byte b in entry.Body.Span)
        {
            hash ^= b;
            hash *= prime;
        }
        return hash;
    }

    public static bool SameEntry(LogEntry a, LogEntry b) =>
        a.Index == b.Index && a.Term == b.Term && a.Pos == b.Pos && a.Type == b.Type && a.Body.Span.SequenceEqual(b.Body.Span);
}
