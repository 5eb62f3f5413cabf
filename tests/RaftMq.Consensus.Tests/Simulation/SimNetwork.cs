namespace RaftMq.Consensus.Tests.Simulation;

/// <summary>
/// Link state between nodes (partitions are a blocked-link matrix, so one-way faults are natural) and the
/// current quality: drop and duplicate probabilities and the delay range in steps (random delays reorder).
/// </summary>
internal sealed class SimNetwork(int nodes)
{
    private readonly bool[,] _blocked = new bool[nodes, nodes];

    public double DropRate { get; set; }
    public double DuplicateRate { get; set; }
    public int MinDelaySteps { get; set; } = 1;
    public int MaxDelaySteps { get; set; } = 4;

    public bool CanDeliver(int from, int to) => !_blocked[from, to];

    public bool AnyBlocked
    {
        get
        {
            foreach (bool blocked in _blocked)
            {
                if (blocked) return true;
            }
            return false;
        }
    }

    public void Block(int from, int to) => _blocked[from, to] = true;

    public void BlockBoth(int a, int b)
    {
        _blocked[a, b] = true;
        _blocked[b, a] = true;
    }

    public void HealAll() => Array.Clear(_blocked);

    /// <summary>Cuts every link between <paramref name="side"/> and the rest.</summary>
    public void Split(bool[] side)
    {
        for (int a = 0; a < side.Length; a++)
        {
            for (int b = 0; b < side.Length; b++)
            {
                if (side[a] != side[b]) _blocked[a, b] = true;
            }
        }
    }

    public void Isolate(int node)
    {
        for (int other = 0; other < nodes; other++)
        {
            if (other != node) BlockBoth(node, other);
        }
    }

    /// <summary>Each node reaches only its two ring neighbours: every node sees a majority (of 5), none the same.</summary>
    public void MajoritiesRing(int[] order)
    {
        for (int i = 0; i < order.Length; i++)
        {
            for (int j = 0; j < order.Length; j++)
            {
                int distance = Math.Abs(i - j);
                distance = Math.Min(distance, order.Length - distance);
                if (distance > 1) _blocked[order[i], order[j]] = true;
            }
        }
    }

    public void SetQuality(double drop, double duplicate, int minDelay, int maxDelay)
    {
        DropRate = drop;
        DuplicateRate = duplicate;
        MinDelaySteps = minDelay;
        MaxDelaySteps = maxDelay;
    }
}
