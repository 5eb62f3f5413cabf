namespace RaftMq.Consensus.Tests.Simulation.Checkers;

/// <summary>
/// Leadership stability under faults of a minority: a leader must keep its leadership while it and a majority of the
/// group (itself included) have been healthy and connected for the whole watch window (two maximum election timeouts,
/// so that no earlier fault can still be the cause). A slow, frozen or far-behind minority must never make such a
/// leader step down (check-quorum) or let another node win an election. Health is reported by the simulation.
/// </summary>
internal sealed class LeadershipStabilityChecker(int nodes, long windowSteps, long stepsPerSecond)
{
    private readonly long?[] _healthySince = new long?[nodes];
    private readonly int _quorum = nodes / 2 + 1;
    private string? _leader;
    private long _leaderTerm = -1;

    /// <summary>Leadership changes that happened while the group was not healthy enough to count (for the output).</summary>
    public int ExcusedChanges { get; private set; }

    public void OnHealth(int node, bool healthy, long now)
    {
        if (!healthy) _healthySince[node] = null;
        else _healthySince[node] ??= now;
    }

    /// <summary>After a round of <paramref name="node"/>: its role and term.</summary>
    public void Observe(long now, int nodeIndex, string node, bool isLeader, long term)
    {
        if (isLeader)
        {
            if (_leader is not null && _leader != node && term > _leaderTerm) Changed(now, $"{node} won term {term}");
            if (term >= _leaderTerm)
            {
                _leader = node;
                _leaderTerm = term;
                _leaderIndex = nodeIndex;
            }
            return;
        }
        if (_leader == node) Changed(now, $"{node} stepped down (now in term {term})");
    }

    private int _leaderIndex = -1;

    private void Changed(long now, string what)
    {
        string leader = _leader!;
        long term = _leaderTerm;
        int leaderIndex = _leaderIndex;
        _leader = null;
        _leaderTerm = -1;
        _leaderIndex = -1;
        bool leaderSettled = IsSettled(leaderIndex, now);
        int settled = 0;
        var names = new List<string>();
        for (int i = 0; i < _healthySince.Length; i++)
        {
            if (!IsSettled(i, now)) continue;
            settled++;
            names.Add("n" + i);
        }
        if (!leaderSettled || settled < _quorum)
        {
            ExcusedChanges++;
            return;
        }
        throw new SimulationViolationException(
            $"leadership stability: leader {leader} of term {term} lost its leadership ({what}) while {string.Join(",", names)} " +
            $"(a majority, the leader included) had been healthy and connected for {windowSteps / (double)stepsPerSecond:F1} virtual seconds");
    }

    private bool IsSettled(int node, long now) => _healthySince[node] is { } since && now - since >= windowSteps;
}
