using RaftMq.Broker.Forwarding;
using RaftMq.Broker.Processors.Admin;
using RaftMq.Consensus;
using RaftMq.Consensus.Core;
using RaftMq.Consensus.Runtime;

namespace RaftMq.Broker.Hosting;

/// <summary>Exposes only identity, role and leadership transfer of a replicated log to the processors; a transfer it
/// starts is noted in <paramref name="handOver"/> so that writes refused meanwhile wait for the successor. Also notes
/// when this node last saw its group's leader change (GET_BROKER_RUNTIME_INFO's raftLeaderChangeTimestamp).</summary>
public sealed class ReplicatedLogLeadership : ILeadershipControl, IDisposable
{
    private readonly IReplicatedLog _log;
    private readonly HandOverWatch _handOver;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private string? _leaderId;
    private DateTimeOffset? _lastLeaderChange;

    public ReplicatedLogLeadership(IReplicatedLog log, HandOverWatch handOver, TimeProvider time)
    {
        _log = log;
        _handOver = handOver;
        _time = time;
        _log.StateChanged += OnStateChanged;
        // A leader elected before this object existed is noted as known from now on.
        OnStateChanged(_log.State);
    }

    public string SelfId => _log.SelfId;

    public SoftState State => _log.State;

    public DateTimeOffset? LastLeaderChange
    {
        get
        {
            lock (_gate) return _lastLeaderChange;
        }
    }

    public bool TransferLeadership(string targetId)
    {
        if (targetId != _log.SelfId) _handOver.Started();
        return _log.TransferLeadership(targetId);
    }

    public RaftMemberStatus? Status => _log.GetStatus();

    public Task<MembershipChangeOutcome>? ChangeMembershipAsync(MembershipRequest request, TimeSpan timeout, CancellationToken ct) =>
        _log.ChangeMembershipAsync(request, timeout, ct);

    public void Dispose() => _log.StateChanged -= OnStateChanged;

    /// <summary>A new leader id (not the interval without one during an election) is a leader change.</summary>
    private void OnStateChanged(SoftState state)
    {
        if (state.LeaderId is not { } leader) return;
        lock (_gate)
        {
            if (leader == _leaderId) return;
            _leaderId = leader;
            _lastLeaderChange = _time.GetUtcNow();
        }
    }
}
