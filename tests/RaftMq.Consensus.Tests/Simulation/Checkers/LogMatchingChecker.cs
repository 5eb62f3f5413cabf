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
        var logs = nodes.Where(n => n.Alive).Select(n => (n.Id, Entries: n.ReadLog())).Where(l => l.Entries.Count > 0).ToList();
        foreach (var (id, entries) in logs) CheckContiguous(id, entries);
        for (int a = 0; a < logs.Count; a++)
        {
            for (int b = a + 1; b < logs.Count; b++) CheckPair(logs[a].Id, logs[a].Entries, logs[b].Id, logs[b].Entries);
        }
    }

    private static void CheckContiguous(string id, List<LogEntry> log)
    {
        for (int i = 1; i < log.Count; i++)
        {
            if (log[i].Pos != log[i - 1].EndPos || log[i].Index != log[i - 1].Index + 1)
                throw new SimulationViolationException($"log matching: {id} entry {log[i].Index} does not start where {log[i - 1].Index} ends");
        }
    }

    private static void CheckPair(string aId, List<LogEntry> a, string bId, List<LogEntry> b)
    {
        long aFirst = a[0].Index, bFirst = b[0].Index;
        long low = Math.Max(aFirst, bFirst);
        long high = Math.Min(a[^1].Index, b[^1].Index);
        LogEntry At(List<LogEntry> log, long first, long index) => log[(int)(index - first)];
        // The highest index where both hold the same term: everything up to it must be identical.
        long agreeUpTo = 0;
        for (long i = high; i >= low; i--)
        {
            if (At(a, aFirst, i).Term == At(b, bFirst, i).Term)
            {
                agreeUpTo = i;
                break;
            }
        }
        for (long i = low; i <= agreeUpTo; i++)
        {
            LogEntry x = At(a, aFirst, i);
            LogEntry y = At(b, bFirst, i);
            if (!AppliedHistory.SameEntry(x, y))
            {
                throw new SimulationViolationException(
                    $"log matching: {aId} and {bId} agree at index {agreeUpTo} but differ at {i} (terms {x.Term}/{y.Term}, pos {x.Pos}/{y.Pos})");
            }
        }
    }
}
