namespace RaftMq.Chaos.History;

/// <summary>Where workers and nemeses record ops. Implementations are safe for concurrent callers.</summary>
public interface IHistorySink
{
    void Append(HistoryOp op);
}

/// <summary>Keeps ops in memory, in append order; for tests and for checking a run without a file.</summary>
public sealed class InMemoryHistory : IHistorySink
{
    private readonly List<HistoryOp> _ops = [];
    private readonly Lock _gate = new();

    public void Append(HistoryOp op)
    {
        ArgumentNullException.ThrowIfNull(op);
        lock (_gate)
        {
            _ops.Add(op);
        }
    }

    public IReadOnlyList<HistoryOp> Snapshot()
    {
        lock (_gate)
        {
            return [.. _ops];
        }
    }
}
