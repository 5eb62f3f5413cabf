using System.Diagnostics;
using System.Diagnostics.Metrics;
using RaftMq.Consensus.Core;

namespace RaftMq.Consensus.Runtime;

/// <summary>
/// Instruments of one node on the "RaftMq.Consensus" meter, tagged with group and node id: committed entries,
/// commit latency (AppendAsync to applied, on the leader), applied and commit index, role changes, snapshots installed.
/// </summary>
internal sealed class RaftMetrics : IDisposable
{
    public const string MeterName = "RaftMq.Consensus";

    private readonly Meter _meter = new(MeterName);
    private readonly TagList _tags;
    private readonly Counter<long> _commits;
    private readonly Histogram<double> _commitLatency;
    private readonly Counter<long> _roleChanges;
    private readonly Counter<long> _snapshotsInstalled;

    public RaftMetrics(string group, string selfId, Func<long> appliedIndex, Func<long> commitIndex)
    {
        _tags = new TagList { { "raftmq.group", group }, { "raftmq.node", selfId } };
        var tags = _tags;
        _commits = _meter.CreateCounter<long>("raftmq.consensus.commits", "{entry}", "Committed entries applied on this node");
        _commitLatency = _meter.CreateHistogram<double>("raftmq.consensus.commit.duration", "ms",
            "From AppendAsync to the entries being committed and applied (leader)");
        _roleChanges = _meter.CreateCounter<long>("raftmq.consensus.role_changes", "{change}", "Raft role changes, tagged with the new role");
        _snapshotsInstalled = _meter.CreateCounter<long>("raftmq.consensus.snapshots_installed", "{snapshot}", "Leader snapshots installed");
        _meter.CreateObservableGauge("raftmq.consensus.applied_index", () => new Measurement<long>(appliedIndex(), tags), "{index}",
            "Index of the last entry applied to the state machine");
        _meter.CreateObservableGauge("raftmq.consensus.commit_index", () => new Measurement<long>(commitIndex(), tags), "{index}",
            "Commit index known to this node");
    }

    public void Committed(int entries) => _commits.Add(entries, _tags);

    public void CommitLatency(TimeSpan elapsed) => _commitLatency.Record(elapsed.TotalMilliseconds, _tags);

    public void RoleChanged(RaftRole role)
    {
        var tags = _tags;
        tags.Add("raftmq.role", role.ToString());
        _roleChanges.Add(1, tags);
    }

    public void SnapshotInstalled() => _snapshotsInstalled.Add(1, _tags);

    public void Dispose() => _meter.Dispose();
}
