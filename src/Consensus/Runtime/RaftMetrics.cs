using System.Diagnostics;
using System.Diagnostics.Metrics;
using RaftMq.Consensus.Core;

namespace RaftMq.Consensus.Runtime;

/// <summary>
/// Instruments of one node on the "RaftMq.Consensus" meter, tagged with group and node id: commits and their latency,
/// term, role, commit/applied/last index and apply lag, each follower's match lag (leader), elections, leader changes,
/// fsync latency and batch size, retained log size, retention deletions, snapshots installed.
/// docs/operations/metrics.md lists them with their Prometheus names.
/// </summary>
internal sealed class RaftMetrics : IDisposable
{
    public const string MeterName = "RaftMq.Consensus";

    private static readonly RaftRole[] Roles = Enum.GetValues<RaftRole>();

    /// <summary>Bucket bounds in ms: an fsync takes tens of microseconds on fast disks and can stall for seconds.</summary>
    private static readonly InstrumentAdvice<double> FsyncBuckets = new()
    {
        HistogramBucketBoundaries = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 5000],
    };

    private static readonly InstrumentAdvice<long> BatchBuckets = new()
    {
        HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096],
    };

    private readonly Meter _meter = new(MeterName);
    private readonly RaftNode _node;
    private readonly TagList _tags;
    private readonly Counter<long> _commits;
    private readonly Histogram<double> _commitLatency;
    private readonly Counter<long> _roleChanges;
    private readonly Counter<long> _snapshotsInstalled;
    private readonly Counter<long> _elections;
    private readonly Counter<long> _leaderChanges;
    private readonly Histogram<double> _fsyncLatency;
    private readonly Histogram<long> _fsyncBatch;
    private readonly Counter<long> _segmentsDeleted;

    public RaftMetrics(RaftNode node)
    {
        _node = node;
        _tags = new TagList { { "raftmq.group", node.Group }, { "raftmq.node", node.SelfId } };
        _commits = _meter.CreateCounter<long>("raftmq.consensus.commits", "{entry}", "Committed entries applied on this node");
        _commitLatency = _meter.CreateHistogram<double>("raftmq.consensus.commit.duration", "ms",
            "From AppendAsync to the entries being committed and applied (leader)");
        _roleChanges = _meter.CreateCounter<long>("raftmq.consensus.role_changes", "{change}", "Raft role changes, tagged with the new role");
        _snapshotsInstalled = _meter.CreateCounter<long>("raftmq.consensus.snapshots_installed", "{snapshot}", "Leader snapshots installed");
        _elections = _meter.CreateCounter<long>("raftmq.consensus.elections", "{election}", "Elections this node started as a candidate");
        _leaderChanges = _meter.CreateCounter<long>("raftmq.consensus.leader_changes", "{change}",
            "Times this node learned of a new leader (itself included)");
        _fsyncLatency = _meter.CreateHistogram("raftmq.consensus.fsync.duration", "ms", "Duration of one log fsync (group commit)",
            advice: FsyncBuckets);
        _fsyncBatch = _meter.CreateHistogram("raftmq.consensus.fsync.batch_size", "{entry}", "Entries made durable by one fsync",
            advice: BatchBuckets);
        _segmentsDeleted = _meter.CreateCounter<long>("raftmq.consensus.retention.deleted_segments", "{segment}",
            "Log data segments deleted by retention");
        // Counters that may stay at zero for a long time are reported from the start, so that rate() and alerts work.
        foreach (var counter in (Counter<long>[])[_elections, _leaderChanges, _segmentsDeleted, _snapshotsInstalled]) counter.Add(0, _tags);
        CreateGauges();
    }

    private void CreateGauges()
    {
        var node = _node;
        var tags = _tags;
        _meter.CreateObservableGauge("raftmq.consensus.applied_index", () => new Measurement<long>(node.AppliedIndex, tags), "{index}",
            "Index of the last entry applied to the state machine");
        _meter.CreateObservableGauge("raftmq.consensus.commit_index", () => new Measurement<long>(node.CommitIndex, tags), "{index}",
            "Commit index known to this node");
        _meter.CreateObservableGauge("raftmq.consensus.last_index", () => new Measurement<long>(node.LastIndex, tags), "{index}",
            "Index of the last entry in this node's log");
        _meter.CreateObservableGauge("raftmq.consensus.apply_lag",
            () => new Measurement<long>(Math.Max(0, node.CommitIndex - node.AppliedIndex), tags), "{entry}",
            "Committed entries not yet applied to the state machine");
        _meter.CreateObservableGauge("raftmq.consensus.term", () => new Measurement<long>(node.State.Term, tags), "{term}",
            "Current Raft term of this node");
        _meter.CreateObservableGauge("raftmq.consensus.role", ObserveRole, "{role}",
            "1 for the role this node is in, 0 for the others (tag raftmq.role)");
        _meter.CreateObservableGauge("raftmq.consensus.follower.match_lag", ObserveMatchLag, "{entry}",
            "On the leader: entries each follower is behind the leader's last index (tag raftmq.peer)");
        _meter.CreateObservableGauge("raftmq.consensus.log.size", () => new Measurement<long>(node.RetainedLogBytes, tags), "By",
            "Bytes of log retained on disk (first retained entry to the end)");
    }

    private IEnumerable<Measurement<int>> ObserveRole()
    {
        var current = _node.State.Role;
        var measurements = new Measurement<int>[Roles.Length];
        for (int i = 0; i < Roles.Length; i++)
        {
            var tags = _tags;
            tags.Add("raftmq.role", Roles[i].ToString());
            measurements[i] = new Measurement<int>(Roles[i] == current ? 1 : 0, tags);
        }
        return measurements;
    }

    private IEnumerable<Measurement<long>> ObserveMatchLag()
    {
        var status = _node.GetStatus();
        if (status.Role != RaftRole.Leader) return [];
        var measurements = new List<Measurement<long>>(status.Peers.Count);
        foreach (var peer in status.Peers)
        {
            if (peer.IsSelf) continue;
            var tags = _tags;
            tags.Add("raftmq.peer", peer.Id);
            measurements.Add(new Measurement<long>(peer.MatchLag, tags));
        }
        return measurements;
    }

    public void Committed(int entries) => _commits.Add(entries, _tags);

    public void CommitLatency(TimeSpan elapsed) => _commitLatency.Record(elapsed.TotalMilliseconds, _tags);

    public void RoleChanged(RaftRole role)
    {
        var tags = _tags;
        tags.Add("raftmq.role", role.ToString());
        _roleChanges.Add(1, tags);
    }

    public void ElectionStarted() => _elections.Add(1, _tags);

    public void LeaderChanged() => _leaderChanges.Add(1, _tags);

    public void Fsynced(TimeSpan elapsed, int entries)
    {
        _fsyncLatency.Record(elapsed.TotalMilliseconds, _tags);
        if (entries > 0) _fsyncBatch.Record(entries, _tags);
    }

    public void SegmentsDeleted(int segments)
    {
        if (segments > 0) _segmentsDeleted.Add(segments, _tags);
    }

    public void SnapshotInstalled() => _snapshotsInstalled.Add(1, _tags);

    public void Dispose() => _meter.Dispose();
}
