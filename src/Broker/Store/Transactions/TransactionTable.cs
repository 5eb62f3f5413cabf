namespace RaftMq.Broker.Store.Transactions;

/// <summary>
/// The pending transactions derived from the log (docs/transactions.md): a half message makes one pending, a copy
/// written by a check updates it, and the first commit, rollback or discard record in log order ends it. Later
/// outcome records for the same transaction find nothing pending and are inert, so whatever races on the leader, a
/// transaction ends once. Mutated only by the apply thread; read by processors and the check service.
/// </summary>
internal sealed class TransactionTable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<long, PendingTransaction> _pending = [];

    /// <summary>Physical offset of every copy of a pending half message -> the transaction's HalfOffset.</summary>
    private readonly Dictionary<long, long> _halfOffsetOfCopy = [];

    public int Count
    {
        get
        {
            lock (_gate) return _pending.Count;
        }
    }

    public void Prepare(PendingTransaction transaction)
    {
        lock (_gate)
        {
            _pending[transaction.HalfOffset] = transaction;
            foreach (var copy in transaction.Copies) _halfOffsetOfCopy[copy.PhysicalOffset] = transaction.HalfOffset;
        }
    }

    /// <summary>A check's copy of a pending half message; false (nothing changes) when the transaction already ended.</summary>
    public bool AddCopy(long halfOffset, HalfMessageCopy copy, int checkTimes, long storedAtMs)
    {
        lock (_gate)
        {
            if (!_pending.TryGetValue(halfOffset, out var pending)) return false;
            _pending[halfOffset] = pending with
            {
                CheckTimes = checkTimes,
                LastStoredAtMs = storedAtMs,
                Copies = [.. pending.Copies, copy],
            };
            _halfOffsetOfCopy[copy.PhysicalOffset] = halfOffset;
            return true;
        }
    }

    /// <summary>Ends a pending transaction; false when it is not pending (unknown or already ended).</summary>
    public bool End(long halfOffset)
    {
        lock (_gate)
        {
            if (!_pending.Remove(halfOffset, out var ended)) return false;
            foreach (var copy in ended.Copies) _halfOffsetOfCopy.Remove(copy.PhysicalOffset);
            return true;
        }
    }

    /// <summary>The pending transaction one of whose copies is at <paramref name="physicalOffset"/>, if any.</summary>
    public PendingTransaction? FindByCopy(long physicalOffset)
    {
        lock (_gate)
        {
            return _halfOffsetOfCopy.TryGetValue(physicalOffset, out long halfOffset) ? _pending[halfOffset] : null;
        }
    }

    /// <summary>Every pending transaction ordered by HalfOffset (identical on replicas at the same index).</summary>
    public List<PendingTransaction> ToList()
    {
        lock (_gate)
        {
            var list = new List<PendingTransaction>(_pending.Values);
            list.Sort(static (a, b) => a.HalfOffset.CompareTo(b.HalfOffset));
            return list;
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _pending.Clear();
            _halfOffsetOfCopy.Clear();
        }
    }
}
