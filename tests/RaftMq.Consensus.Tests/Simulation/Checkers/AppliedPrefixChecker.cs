using RaftMq.Consensus.Core;

namespace RaftMq.Consensus.Tests.Simulation.Checkers;

/// <summary>
/// Every node's applied sequence is a prefix of the one committed sequence: it applies gap-free in index order
/// from its snapshot, and a restored snapshot equals the committed sequence up to its index (by hash).
/// </summary>
internal sealed class AppliedPrefixChecker(AppliedHistory history)
{
    public void OnApply(string node, long appliedIndex, LogEntry entry)
    {
        if (entry.Index != appliedIndex + 1)
        {
            throw new SimulationViolationException(
                $"applied prefix: {node} applied index {entry.Index} right after {appliedIndex}");
        }
    }

    public void OnSnapshotRestored(string node, long appliedIndex, Snapshot snapshot, ulong snapshotHash)
    {
        if (snapshot.Index < appliedIndex)
        {
            throw new SimulationViolationException(
                $"applied prefix: {node} restored snapshot {snapshot.Index} behind its applied index {appliedIndex}");
        }
        if (!history.Knows(snapshot.Index) || history.HashAt(snapshot.Index) != snapshotHash)
        {
            throw new SimulationViolationException(
                $"applied prefix: {node} restored a snapshot at {snapshot.Index} that differs from the committed sequence");
        }
    }
}
