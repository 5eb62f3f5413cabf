namespace RaftMq.Chaos.Nemesis;

/// <summary>What a nemesis did: whom it hit, for how long the fault should last, and how to undo it.</summary>
/// <param name="Duration">Overrides the fault window (the pause nemeses' random pause); null = the window.</param>
public sealed record NemesisInjection(
    IReadOnlyList<string> Targets,
    string? Detail,
    TimeSpan? Duration,
    Func<CancellationToken, Task> HealAsync);

/// <summary>Shared state handed to a nemesis: the cluster, the run's seeded RNG and the schedule options.</summary>
public sealed class NemesisContext(IClusterControl cluster, Random random, NemesisOptions options, TimeProvider time)
{
    public IClusterControl Cluster { get; } = cluster;

    public Random Random { get; } = random;

    public NemesisOptions Options { get; } = options;

    public TimeProvider Time { get; } = time;

    /// <summary>The leader, or a random node when none is known (detail says which).</summary>
    public async Task<(string Node, string Detail)> LeaderOrRandomAsync(CancellationToken cancellationToken)
    {
        var leader = await Cluster.LeaderProbe.FindLeaderAsync(cancellationToken).ConfigureAwait(false);
        return leader is not null && Cluster.Nodes.Contains(leader)
            ? (leader, "leader")
            : (Cluster.Voters[Random.Next(Cluster.Voters.Count)], "leader unknown, random voter");
    }

    /// <summary>Distinct random voters: a "minority" or "majority" is one of the voters (learners do not count).</summary>
    public IReadOnlyList<string> RandomVoters(int count) =>
        [.. Network.PartitionPlan.Shuffled(Cluster.Voters, Random).Take(count)];

    public Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken) =>
        delay <= TimeSpan.Zero ? Task.CompletedTask : Task.Delay(delay, Time, cancellationToken);
}

/// <summary>One kind of fault: whether it applies to a cluster, and how to inject it.</summary>
public sealed record Nemesis(
    string Name,
    Func<IClusterControl, bool> AppliesTo,
    Func<NemesisContext, CancellationToken, Task<NemesisInjection>> InjectAsync);
