using RaftMq.Chaos.Network;

namespace RaftMq.Chaos.Nemesis;

/// <summary>
/// The nemeses of the chaos suite. Sizes follow openmessaging-chaos: a minority is ⌊n/2⌋ nodes (1 of 3,
/// 2 of 5), a majority ⌊n/2⌋+1.
/// </summary>
public static partial class NemesisCatalog
{
    public static IReadOnlyList<Nemesis> All { get; } =
    [
        KillLeader(), KillMinority(), KillMajority(), PauseLeader(), PauseFollower(), PartitionLeader(),
        PartitionHalves(), Bridge(), Ring(), RestartAllStaleFirst(), PowerLoss(), TransferLeader(), RollingRestart(),
        Membership(), HostileTrafficNemesis(), IdleNemesis(),
    ];

    public static Nemesis Get(string name) =>
        All.SingleOrDefault(n => n.Name == name) ?? throw new ArgumentException($"unknown nemesis '{name}'", nameof(name));

    private static bool Always(IClusterControl cluster) => cluster.Voters.Count >= 3;

    private static bool FiveNodes(IClusterControl cluster) => cluster.Voters.Count == 5;

    private static Nemesis KillLeader() => new(NemesisNames.KillLeader, Always, async (ctx, ct) =>
    {
        var (node, detail) = await ctx.LeaderOrRandomAsync(ct).ConfigureAwait(false);
        await ctx.Cluster.KillAsync(node, ct).ConfigureAwait(false);
        return new NemesisInjection([node], detail, null, heal => ctx.Cluster.RestartAsync(node, heal));
    });

    private static Nemesis KillMinority() => new(NemesisNames.KillMinority, Always, (ctx, ct) =>
        KillNodesAsync(ctx, ctx.RandomVoters(ctx.Cluster.Voters.Count / 2), "random minority of the voters", ct));

    private static Nemesis KillMajority() => new(NemesisNames.KillMajority, Always, (ctx, ct) =>
        KillNodesAsync(ctx, ctx.RandomVoters(ctx.Cluster.Voters.Count / 2 + 1), "random majority of the voters, restarted on heal", ct));

    private static async Task<NemesisInjection> KillNodesAsync(
        NemesisContext ctx, IReadOnlyList<string> nodes, string detail, CancellationToken ct)
    {
        foreach (var node in nodes)
        {
            await ctx.Cluster.KillAsync(node, ct).ConfigureAwait(false);
        }

        return new NemesisInjection(nodes, detail, null, async heal =>
        {
            foreach (var node in nodes)
            {
                await ctx.Cluster.RestartAsync(node, heal).ConfigureAwait(false);
            }
        });
    }

    private static Nemesis PauseLeader() => new(NemesisNames.PauseLeader, Always, async (ctx, ct) =>
    {
        var (node, detail) = await ctx.LeaderOrRandomAsync(ct).ConfigureAwait(false);
        return await PauseAsync(ctx, node, detail, ct).ConfigureAwait(false);
    });

    /// <summary>Freezes a follower: it falls behind while the others keep writing, and must rejoin on SIGCONT without
    /// a term change (pre-vote and check-quorum leases) while the leader catches it up.</summary>
    private static Nemesis PauseFollower() => new(NemesisNames.PauseFollower, Always, async (ctx, ct) =>
    {
        var leader = await ctx.Cluster.LeaderProbe.FindLeaderAsync(ct).ConfigureAwait(false);
        var followers = ctx.Cluster.Voters.Where(n => n != leader).ToList();
        var node = followers[ctx.Random.Next(followers.Count)];
        string detail = leader is not null && ctx.Cluster.Nodes.Contains(leader) ? $"follower of {leader}" : "leader unknown, random node";
        return await PauseAsync(ctx, node, detail, ct).ConfigureAwait(false);
    });

    /// <summary>SIGSTOP for a random [PauseMin, PauseMax] (replaces the fault window), SIGCONT on heal.</summary>
    private static async Task<NemesisInjection> PauseAsync(NemesisContext ctx, string node, string detail, CancellationToken ct)
    {
        var span = ctx.Options.PauseMax - ctx.Options.PauseMin;
        var pause = ctx.Options.PauseMin + TimeSpan.FromMilliseconds(ctx.Random.NextDouble() * span.TotalMilliseconds);
        await ctx.Cluster.PauseAsync(node, ct).ConfigureAwait(false);
        return new NemesisInjection([node], $"{detail}, SIGSTOP for {pause.TotalSeconds:0.0}s", pause,
            heal => ctx.Cluster.ResumeAsync(node, heal));
    }

    private static Nemesis PartitionLeader() => new(NemesisNames.PartitionLeader, Always, async (ctx, ct) =>
    {
        var (node, detail) = await ctx.LeaderOrRandomAsync(ct).ConfigureAwait(false);
        return Partition(ctx, PartitionPlan.Isolate(ctx.Cluster.Nodes, node), [node], detail);
    });

    private static Nemesis PartitionHalves() => new(NemesisNames.PartitionHalves, Always, (ctx, _) =>
    {
        var minority = ctx.RandomVoters(ctx.Cluster.Voters.Count / 2);
        return Task.FromResult(Partition(ctx, PartitionPlan.Halves(ctx.Cluster.Nodes, minority), minority, null));
    });

    private static Nemesis Bridge() => new(NemesisNames.Bridge, FiveNodes, (ctx, _) =>
    {
        var order = PartitionPlan.Shuffled(ctx.Cluster.Voters, ctx.Random);
        return Task.FromResult(Partition(ctx, PartitionPlan.Bridge(order), order, null));
    });

    private static Nemesis Ring() => new(NemesisNames.Ring, FiveNodes, (ctx, _) =>
    {
        var ring = PartitionPlan.Shuffled(ctx.Cluster.Voters, ctx.Random);
        return Task.FromResult(Partition(ctx, PartitionPlan.MajoritiesRing(ring), ring, null));
    });

    private static NemesisInjection Partition(NemesisContext ctx, PartitionPlan plan, IReadOnlyList<string> targets, string? detail)
    {
        ctx.Cluster.Partition(plan);
        var description = detail is null ? plan.Description : $"{plan.Description} ({detail})";
        return new NemesisInjection(targets, description, null, _ =>
        {
            ctx.Cluster.HealNetwork();
            return Task.CompletedTask;
        });
    }
}
