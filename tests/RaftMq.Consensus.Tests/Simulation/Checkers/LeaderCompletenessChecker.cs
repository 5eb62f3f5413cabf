namespace RaftMq.Consensus.Tests.Simulation.Checkers;

/// <summary>
/// Leader completeness: an entry committed in term T is in the log of every leader of a term after T. The
/// commit term of each index is the term of the first leader seen committing it (leaders are observed after
/// every step); a leader of an older term that wins late (its vote answers were delayed) is not held to
/// entries committed after its term.
/// </summary>
internal sealed class LeaderCompletenessChecker(AppliedHistory history)
{
    private readonly List<long> _commitTerm = new() { 0 };

    /// <summary>The highest index any leader was ever seen to commit (the true commit point, even after that leader crashed).</summary>
    public long HighestCommit => _commitTerm.Count - 1;

    public void OnLeaderCommit(long term, long commitIndex)
    {
        while (_commitTerm.Count <= commitIndex) _commitTerm.Add(term);
    }

    public void OnNewLeader(SimNode node)
    {
        var core = node.Core!;
        long leaderTerm = core.SoftState.Term;
        long compactedBelow = node.Log!.FirstIndex - 1;
        long upTo = Math.Min(history.LastIndex, _commitTerm.Count - 1);
        for (long index = 1; index <= upTo; index++)
        {
            if (_commitTerm[(int)index] >= leaderTerm) continue;
            long term = core.TermAtForTesting(index);
            if (term == -1 && index < compactedBelow) continue; // applied locally, then compacted into a snapshot
            if (term != history.At(index).Term)
            {
                throw new SimulationViolationException(
                    $"leader completeness: {node.Id} leads term {leaderTerm} but holds term {term} at index {index}, committed in term {_commitTerm[(int)index]} with term {history.At(index).Term}");
            }
        }
    }
}
