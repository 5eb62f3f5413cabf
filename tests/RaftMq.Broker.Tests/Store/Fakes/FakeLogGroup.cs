using RaftMq.Consensus;
using RaftMq.Consensus.Core;
using RaftMq.Consensus.Log;

namespace RaftMq.Broker.Tests.Store.Fakes;

/// <summary>
/// A deterministic in-memory Raft group for store tests: one shared committed log (every append commits at once),
/// positions assigned like the core (pos = previous end, size = 48 + body), and per-node apply cursors. The
/// leader applies its own appends synchronously; followers apply when a test calls <see cref="CatchUp"/>.
/// </summary>
internal sealed class FakeLogGroup
{
    private readonly List<LogEntry> _entries = [];
    private readonly Dictionary<string, FakeReplicatedLog> _nodes = new(StringComparer.Ordinal);
    private byte[] _bytes = new byte[4096];
    private readonly Lock _lock = new();

    public FakeLogGroup(params string[] nodeIds)
    {
        foreach (string id in nodeIds) _nodes.Add(id, new FakeReplicatedLog(this, id));
    }

    public long Term { get; private set; }

    public string? LeaderId { get; private set; }

    public long NextPos { get; private set; }

    public long FirstRetainedPos { get; private set; }

    public long FirstIndex { get; private set; } = 1;

    public Snapshot? LatestSnapshot { get; private set; }

    public FakeReplicatedLog this[string id] => _nodes[id];

    public IReadOnlyList<LogEntry> Entries
    {
        get
        {
            lock (_lock) return [.. _entries];
        }
    }

    /// <summary>Starts a new term led by <paramref name="leaderId"/>: appends its noop, which the leader applies at once
    /// only when <paramref name="applyOnLeader"/> (else it stays not writable until it catches up).</summary>
    public void ElectLeader(string leaderId, bool applyOnLeader = true)
    {
        lock (_lock)
        {
            Term++;
            LeaderId = leaderId;
            AppendLocked(EntryType.Noop, ReadOnlyMemory<byte>.Empty);
        }
        foreach (var node in _nodes.Values) node.RaiseStateChanged();
        if (applyOnLeader) _nodes[leaderId].ApplyCommitted();
    }

    public void CatchUp(string nodeId) => _nodes[nodeId].ApplyCommitted();

    public void CatchUpAll()
    {
        foreach (var node in _nodes.Values) node.ApplyCommitted();
    }

    /// <summary>Appends a body as the leader would, without validation (for malformed-entry tests).</summary>
    public void AppendRaw(ReadOnlyMemory<byte> body)
    {
        lock (_lock) AppendLocked(EntryType.Normal, body);
        _nodes[LeaderId!].ApplyCommitted();
    }

    /// <summary>Drops entries up to <paramref name="index"/> (retention) keeping <paramref name="snapshot"/> as the base.</summary>
    public void DiscardThrough(long index, ReadOnlyMemory<byte> snapshotData)
    {
        lock (_lock)
        {
            var last = _entries[(int)index - 1];
            LatestSnapshot = new Snapshot(index, last.Term, last.EndPos, snapshotData);
            FirstIndex = index + 1;
            FirstRetainedPos = last.EndPos;
        }
    }

    internal AppendOutcome Append(FakeReplicatedLog node, IReadOnlyList<ReadOnlyMemory<byte>> payloads)
    {
        LogEntry first;
        lock (_lock)
        {
            if (node.SelfId != LeaderId) return new AppendOutcome(AppendStatus.NotLeader, 0, 0, 0, LeaderId);
            first = AppendLocked(EntryType.Normal, payloads[0]);
            for (int i = 1; i < payloads.Count; i++) AppendLocked(EntryType.Normal, payloads[i]);
        }
        long result = node.ApplyCommitted(first.Index);
        return new AppendOutcome(AppendStatus.Committed, first.Index, first.Pos, result, LeaderId);
    }

    internal LogEntry? EntryAt(long index)
    {
        lock (_lock) return index >= FirstIndex && index <= _entries.Count ? _entries[(int)index - 1] : null;
    }

    internal bool TryRead(long pos, Span<byte> destination)
    {
        lock (_lock)
        {
            if (pos < FirstRetainedPos || pos + destination.Length > NextPos) return false;
            _bytes.AsSpan((int)pos, destination.Length).CopyTo(destination);
            return true;
        }
    }

    private LogEntry AppendLocked(EntryType type, ReadOnlyMemory<byte> body)
    {
        var entry = new LogEntry(_entries.Count + 1, Term, NextPos, type, body.ToArray());
        while (_bytes.Length < entry.EndPos) Array.Resize(ref _bytes, _bytes.Length * 2);
        EntryCodec.Encode(entry, _bytes.AsSpan((int)entry.Pos, entry.Size)); // header and body, as the real log stores them
        _entries.Add(entry);
        NextPos = entry.EndPos;
        return entry;
    }
}
