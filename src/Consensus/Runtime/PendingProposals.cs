namespace RaftMq.Consensus.Runtime;

/// <summary>An accepted proposal waiting for its entries to commit and apply.</summary>
internal struct PendingProposal
{
    public PendingAppend Source;
    public short Version;
    public long FirstIndex;
    public long LastIndex;
    public long Term;

    /// <summary>Stopwatch timestamps: when AppendAsync was called, and when the caller stops waiting.</summary>
    public long StartedAt;
    public long Deadline;

    /// <summary>Pos and apply result of the first entry, known once it is applied.</summary>
    public long Pos;
    public long Result;

    public readonly AppendOutcome Outcome(AppendStatus status, string? leaderId = null) => new(status, FirstIndex, Pos, Result, leaderId);
}

/// <summary>
/// Accepted proposals in log order (a ring buffer of structs: no allocation per proposal once grown). Owned by the
/// node loop. Entries whose caller gave up (timeout, cancellation) stay until their index is passed, so the order
/// holds; completing them again is a no-op thanks to <see cref="PendingAppend"/> versions.
/// </summary>
internal sealed class PendingProposals
{
    private PendingProposal[] _items = new PendingProposal[64];
    private int _head;

    public int Count { get; private set; }

    public ref PendingProposal Head => ref _items[_head];

    public ref PendingProposal this[int i] => ref _items[(_head + i) % _items.Length];

    public void Add(in PendingProposal proposal)
    {
        if (Count == _items.Length) Grow();
        _items[(_head + Count) % _items.Length] = proposal;
        Count++;
    }

    public void RemoveHead()
    {
        _items[_head] = default;
        _head = (_head + 1) % _items.Length;
        Count--;
    }

    private void Grow()
    {
        var bigger = new PendingProposal[_items.Length * 2];
        for (int i = 0; i < Count; i++) bigger[i] = this[i];
        _items = bigger;
        _head = 0;
    }
}
