using RaftMq.Consensus.Core;

namespace RaftMq.Consensus.Tests.Simulation.Checkers;

/// <summary>Election safety: at most one leader per term, over the whole run (crashes included).</summary>
internal sealed class ElectionSafetyChecker
{
    private readonly Dictionary<long, string> _leaderOfTerm = new();

    public int Leaders => _leaderOfTerm.Count;

    public void Observe(string node, SoftState state)
    {
        if (state.Role != RaftRole.Leader) return;
        if (_leaderOfTerm.TryGetValue(state.Term, out string? leader))
        {
            if (leader != node)
                throw new SimulationViolationException($"election safety: {leader} and {node} are both leaders of term {state.Term}");
            return;
        }
        _leaderOfTerm.Add(state.Term, node);
    }
}
