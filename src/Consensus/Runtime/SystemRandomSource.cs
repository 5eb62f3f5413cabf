using RaftMq.Consensus.Core;

namespace RaftMq.Consensus.Runtime;

/// <summary>Randomised election timeouts for a real node: one private, randomly seeded generator per node.</summary>
internal sealed class SystemRandomSource : IRandomSource
{
    private readonly Random _random = new();

    public int Next(int maxExclusive) => _random.Next(maxExclusive);
}
