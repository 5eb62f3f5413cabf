using System.Diagnostics.Metrics;

namespace RaftMq.Broker.Processors.Transaction;

/// <summary>Meter "RaftMq.Broker.Transactions": transaction outcomes, refused END_TRANSACTION requests, checks sent and
/// half messages discarded after transactionCheckMax checks, and the pending count on this node.</summary>
internal sealed class TransactionMetrics : IDisposable
{
    public const string MeterName = "RaftMq.Broker.Transactions";

    private readonly Meter _meter;
    private readonly Counter<long> _ended;
    private readonly Counter<long> _refused;
    private readonly Counter<long> _checks;
    private readonly Counter<long> _discarded;

    public TransactionMetrics(Func<int> pending)
    {
        _meter = new Meter(MeterName);
        _ended = _meter.CreateCounter<long>("raftmq.transactions.ended", "{transaction}", "Transactions committed or rolled back by END_TRANSACTION");
        _refused = _meter.CreateCounter<long>("raftmq.transactions.end_refused", "{request}", "END_TRANSACTION requests refused (nothing changed)");
        _checks = _meter.CreateCounter<long>("raftmq.transactions.checks", "{check}", "CHECK_TRANSACTION_STATE requests written (the check's copy committed)");
        _discarded = _meter.CreateCounter<long>("raftmq.transactions.discarded", "{transaction}", "Half messages discarded to TRANS_CHECK_MAX_TIME_TOPIC");
        _meter.CreateObservableGauge("raftmq.transactions.pending", pending, "{transaction}", "Half messages without an outcome");
    }

    public void Ended(bool commit) => _ended.Add(1, new KeyValuePair<string, object?>("outcome", commit ? "commit" : "rollback"));

    public void Refused() => _refused.Add(1);

    public void Checked() => _checks.Add(1);

    public void Discarded() => _discarded.Add(1);

    public void Dispose() => _meter.Dispose();
}
