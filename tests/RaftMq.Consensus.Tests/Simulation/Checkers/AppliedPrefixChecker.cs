using RaftMq.Consensus.Core;

namespace RaftMq.Consensus.Tests.Simulation.Checkers;

/// <summary>
/// Every node's applied sequence is a prefix of the one committed sequence: it applies gap-free in index order
/// from its snapshot, and a restored snapshot equals the committed sequence up to its index (by hash).
/// </summary>
internal sealed class AppliedPrefixChecker(AppliedHistory history)
{
    public void OnApply(SimNode node, LogEntry entry)
    {
        if (entry.Index != node.AppliedIndex + 1)
        {
            throw new SimulationViolationException(
                $"applied prefix: {node.Id} applied index {entry.Index} right after {node.AppliedIndex}");
        }
    }

    public void OnSnapshotRestored(SimNode node, Snapshot snapshot, ulong snapshotHash)
    {
        if (snapshot.Index < node.AppliedIndex)
        {
            throw new SimulationViolationException(
                $"applied prefix: {node.Id} restored snapshot {snapshot.Index} behind its applied index {node.AppliedIndex}");
        }
        if (!history.Knows(snapshot.Index) || history.HashAt(snapshot.Index) != snapshotHash)
        {
            throw new SimulationViolationException(
                $"applied prefix: {node.Id} restored a snapshot at {snapshot.Index} that differs from the committed sequence");
        }
    }
}
