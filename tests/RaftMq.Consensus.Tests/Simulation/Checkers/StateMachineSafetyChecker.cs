using RaftMq.Consensus.Core;

namespace RaftMq.Consensus.Tests.Simulation.Checkers;

/// <summary>State machine safety: no two nodes ever apply different entries at the same index.</summary>
internal sealed class StateMachineSafetyChecker(AppliedHistory history)
{
    public void OnApply(string node, LogEntry entry)
    {
        if (history.Knows(entry.Index))
        {
            LogEntry known = history.At(entry.Index);
            if (!AppliedHistory.SameEntry(known, entry))
            {
                throw new SimulationViolationException(
                    $"state machine safety: {node} applied {Describe(entry)} but {Describe(known)} was applied elsewhere");
            }
            return;
        }
        if (entry.Index != history.LastIndex + 1)
        {
            throw new SimulationViolationException(
                $"state machine safety: {node} applied index {entry.Index} before anyone applied {history.LastIndex + 1}");
        }
        history.Add(entry);
    }

    private static string Describe(LogEntry e) => $"(index {e.Index}, term {e.Term}, pos {e.Pos}, {e.Type}, {e.Body.Length} bytes)";
}
