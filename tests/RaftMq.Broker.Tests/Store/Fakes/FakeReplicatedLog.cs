using RaftMq.Consensus;
using RaftMq.Consensus.Core;

namespace RaftMq.Broker.Tests.Store.Fakes;

/// <summary>One node's view of a <see cref="FakeLogGroup"/>; applies committed entries to its state machine like the runtime:
/// after the state machine's AppliedIndex, restoring the group's snapshot first when the log no longer reaches back.</summary>
internal sealed class FakeReplicatedLog : IReplicatedLog
{
    private readonly FakeLogGroup _group;
    private readonly Lock _applyLock = new();
    private IStateMachine? _stateMachine;

    public FakeReplicatedLog(FakeLogGroup group, string selfId)
    {
        _group = group;
        SelfId = selfId;
    }

    public string SelfId { get; }

    public SoftState State => new(_group.LeaderId == SelfId ? RaftRole.Leader : RaftRole.Follower, _group.Term, _group.LeaderId);

    public event Action<SoftState>? StateChanged;

    public long FirstRetainedPos => _group.FirstRetainedPos;

    private readonly Dictionary<long, long> _results = [];

    /// <summary>Connects a (re)opened state machine; nothing is applied until the next append or catch-up.</summary>
    public void Bind(IStateMachine stateMachine)
    {
        lock (_applyLock) _stateMachine = stateMachine;
    }

    public ValueTask<AppendOutcome> AppendAsync(IReadOnlyList<ReadOnlyMemory<byte>> payloads, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_group.Append(this, payloads));

    public bool TryReadCommitted(long pos, Span<byte> destination) => _group.TryRead(pos, destination);

    public bool TransferLeadership(string targetId) => false;

    internal void RaiseStateChanged() => StateChanged?.Invoke(State);

    /// <summary>Applies every committed entry not applied yet; returns the Apply result of entry <paramref name="resultOf"/>.</summary>
    internal long ApplyCommitted(long resultOf = 0)
    {
        lock (_applyLock)
        {
            var stateMachine = _stateMachine ?? throw new InvalidOperationException($"No state machine bound on {SelfId}.");
            if (stateMachine.AppliedIndex < _group.FirstIndex - 1) stateMachine.RestoreSnapshot(_group.LatestSnapshot!);
            for (long index = stateMachine.AppliedIndex + 1; _group.EntryAt(index) is { } entry; index++)
            {
                _results[index] = stateMachine.Apply(entry);
            }
            return _results.GetValueOrDefault(resultOf, -1);
        }
    }
}
