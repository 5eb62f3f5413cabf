using RaftMq.Consensus.Core;

namespace RaftMq.Consensus.Tests.Simulation.Checkers;

/// <summary>
/// Log matching over the durable logs: when two logs hold an entry with the same index and term, the entries
/// are identical (pos, type, body) and so are all entries before it; and positions are contiguous in each log.
/// </summary>
internal sealed class LogMatchingChecker
{
    public void Check(IReadOnlyList<SimNode> nodes)
    {
        foreach (SimNode node in nodes) CheckContiguous(node);
        for (int a = 0; a < nodes.Count; a++)
        {
            for (int b = a + 1; b < nodes.Count; b++) CheckPair(nodes[a], nodes[b]);
        }
    }

    private static void CheckContiguous(SimNode node)
    {
        MemoryRaftLog log = node.Log;
        for (long i = log.FirstIndex + 1; i <= log.LastIndex; i++)
        {
            if (log.EntryAt(i).Pos != log.EntryAt(i - 1).EndPos)
                throw new SimulationViolationException($"log matching: {node.Id} entry {i} does not start where {i - 1} ends");
        }
    }

    private static void CheckPair(SimNode a, SimNode b)
    {
        long low = Math.Max(a.Log.FirstIndex, b.Log.FirstIndex);
        long high = Math.Min(a.Log.LastIndex, b.Log.LastIndex);
        // The highest index where both hold the same term: everything up to it must be identical.
        long agreeUpTo = 0;
        for (long i = high; i >= low; i--)
        {
            if (a.Log.EntryAt(i).Term == b.Log.EntryAt(i).Term)
            {
                agreeUpTo = i;
                break;
            }
        }
        for (long i = low; i <= agreeUpTo; i++)
        {
            LogEntry x = a.Log.EntryAt(i);
            LogEntry y = b.Log.EntryAt(i);
            if (!AppliedHistory.SameEntry(x, y))
            {
                throw new SimulationViolationException(
                    $"log matching: {a.Id} and {b.Id} agree at index {agreeUpTo} but differ at {i} (terms {x.Term}/{y.Term}, pos {x.Pos}/{y.Pos})");
            }
        }
    }
}
