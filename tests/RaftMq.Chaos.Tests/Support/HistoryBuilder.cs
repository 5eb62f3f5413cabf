using RaftMq.Chaos.History;

namespace RaftMq.Chaos.Tests.Support;

/// <summary>Builds synthetic histories with a step clock: every op happens 1 ms after the previous one.</summary>
internal sealed class HistoryBuilder
{
    public const string Broker = "RaftNode00";

    private readonly List<HistoryOp> _ops = [];
    private int _nextWindow = 1;

    public long NowUs { get; private set; }

    public IReadOnlyList<HistoryOp> Ops => _ops;

    public HistoryBuilder Tick(long micros = 1000)
    {
        NowUs += micros;
        return this;
    }

    public HistoryBuilder Ok(string payload, string key, long seq, long offset, int queue = 0, int attempts = 1) =>
        Add(new SendOp("p0", key, seq, payload, NowUs, NowUs + 500, SendOutcome.Acknowledged, Broker, queue, offset, $"msg-{payload}", attempts));

    public HistoryBuilder Fail(string payload, string key, long seq) =>
        Add(new SendOp("p0", key, seq, payload, NowUs, NowUs + 500, SendOutcome.Failed, Error: "connection refused"));

    public HistoryBuilder Info(string payload, string key, long seq) =>
        Add(new SendOp("p0", key, seq, payload, NowUs, NowUs + 500, SendOutcome.Unknown, Error: "timeout"));

    /// <summary>A transactional send whose half message was stored; <paramref name="plan"/> is the history label (commit, rollback, ...).</summary>
    public HistoryBuilder Prepared(string payload, string key, long seq, string plan, string? endError = null) =>
        Add(new SendOp("p0", key, seq, payload, NowUs, NowUs + 500, SendOutcome.Acknowledged, MsgId: $"half-{payload}", Transaction: plan, EndError: endError));

    public HistoryBuilder Receive(string payload, string key, long seq, long offset, int queue = 0, string consumer = "c0") =>
        Add(new ReceiveOp(consumer, payload, key, seq, Broker, queue, offset, NowUs));

    /// <summary>Opens a fault window and returns its id.</summary>
    public int StartFault(string name, params string[] targets)
    {
        var window = _nextWindow++;
        Add(new FaultOp(name, FaultPhase.Start, window, targets, NowUs));
        return window;
    }

    public HistoryBuilder StopFault(int window, string name)
    {
        Add(new FaultOp(name, FaultPhase.Stop, window, [], NowUs));
        return this;
    }

    public HistoryBuilder Note(string text, IReadOnlyDictionary<string, string>? fields = null) =>
        Add(new NoteOp(text, NowUs, fields));

    private HistoryBuilder Add(HistoryOp op)
    {
        _ops.Add(op);
        NowUs += 1000;
        return this;
    }
}
