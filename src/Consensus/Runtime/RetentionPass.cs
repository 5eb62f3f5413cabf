using RaftMq.Consensus.Core;
using RaftMq.Consensus.Log;

namespace RaftMq.Consensus.Runtime;

/// <summary>
/// One retention pass, run on the node loop: finds the data segments last written before the expiry instant (never
/// the active last one, and only a prefix: a newer segment stops the scan), makes sure a durable state-machine
/// snapshot covers them (taking one at the state machine's applied index when needed), then deletes them through
/// <see cref="SegmentedLog.DeleteSegmentsBefore"/>, which never goes past the snapshot. Entries are therefore removed
/// only once applied and covered by a snapshot that a lagging follower can be sent instead.
/// </summary>
/// <param name="membershipAt">The group's configuration at an applied index, saved with the snapshot.</param>
internal sealed class RetentionPass(SegmentedLog log, IStateMachine stateMachine, long segmentSizeBytes, Func<long, Membership>? membershipAt = null)
{
    /// <param name="expiredBefore">Segments last written before this instant may go.</param>
    /// <param name="keepFrom">The first entry the node still has to read (the one after the driver's applied index:
    /// after a restart the core hands out committed entries from the recovered commit hint, which can lie below the
    /// state machine's snapshot, and reads them even though it skips applying them).</param>
    public RetentionResult Run(DateTimeOffset expiredBefore, long keepFrom = long.MaxValue)
    {
        long boundary = ExpiredBoundary(expiredBefore);
        long firstSegment = log.FirstPos / segmentSizeBytes * segmentSizeBytes;
        if (boundary <= firstSegment || log.LastIndex < log.FirstIndex) return RetentionResult.Nothing;
        long target = Math.Min(DeletionTarget(boundary), keepFrom);
        long snapshotIndex = -1;
        if ((log.LatestSnapshot?.Index ?? 0) + 1 < target && TrySaveSnapshot() is { } saved) snapshotIndex = saved;
        int deleted = log.DeleteSegmentsBefore(target);
        return new RetentionResult(snapshotIndex, deleted, log.FirstIndex);
    }

    /// <summary>Start pos of the first segment that is not expired (or of the last, active segment).</summary>
    private long ExpiredBoundary(DateTimeOffset expiredBefore)
    {
        var segments = log.DataSegmentWriteTimes();
        if (segments.Count == 0) return 0;
        segments.Sort((a, b) => a.Start.CompareTo(b.Start));
        for (int i = 0; i < segments.Count - 1; i++)
        {
            if (segments[i].Written >= expiredBefore.UtcDateTime) return segments[i].Start;
        }
        return segments[^1].Start;
    }

    /// <summary>
    /// The entry to delete "before": the first one starting at or after the boundary, so every expired segment goes
    /// (an entry straddling into the boundary segment started in an expired one and goes with it). When that entry
    /// starts beyond the boundary segment (one entry spans it entirely) the one before it is used instead, so that
    /// the boundary segment, which is not expired, stays.
    /// </summary>
    private long DeletionTarget(long boundary)
    {
        long low = log.FirstIndex, high = log.LastIndex + 1;
        while (low < high)
        {
            long middle = low + ((high - low) / 2);
            if (PosOf(middle) >= boundary) high = middle;
            else low = middle + 1;
        }
        return PosOf(low) >= boundary + segmentSizeBytes && low > log.FirstIndex ? low - 1 : low;
    }

    private long PosOf(long index) => index == log.LastIndex + 1 ? log.NextPos : log.Entries(index, index, 1)[0].Pos;

    /// <summary>Saves a snapshot at the state machine's applied index when that is newer than the latest one.</summary>
    private long? TrySaveSnapshot()
    {
        long applied = stateMachine.AppliedIndex;
        long latest = log.LatestSnapshot?.Index ?? 0;
        if (applied <= latest || applied < log.FirstIndex - 1 || applied > log.LastIndex) return null;
        long nextPos = applied == log.LastIndex ? log.NextPos
            : applied == log.FirstIndex - 1 ? log.FirstPos
            : log.Entries(applied + 1, applied + 1, 1)[0].Pos;
        var snapshot = new Snapshot(applied, log.TermAt(applied), nextPos, stateMachine.TakeSnapshot()) { Membership = membershipAt?.Invoke(applied) };
        log.SaveSnapshot(snapshot);
        return applied;
    }
}
