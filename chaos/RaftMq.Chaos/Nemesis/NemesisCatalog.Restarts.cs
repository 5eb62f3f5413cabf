namespace RaftMq.Chaos.Nemesis;

public static partial class NemesisCatalog
{
    /// <summary>
    /// DLedger #52 / RocketMQ #2178: kill one follower and let the others accept writes for half the fault
    /// window, so it falls behind; then kill the rest. On heal the stale node starts first and runs alone
    /// for <see cref="NemesisOptions.StaleHeadStart"/> before the others start. A correct group never lets
    /// the stale node truncate committed entries.
    /// </summary>
    private static Nemesis RestartAllStaleFirst() => new(NemesisNames.RestartAllStaleFirst, Always, async (ctx, ct) =>
    {
        var leader = await ctx.Cluster.LeaderProbe.FindLeaderAsync(ct).ConfigureAwait(false);
        var followers = ctx.Cluster.Nodes.Where(n => n != leader).ToList();
        var stale = followers[ctx.Random.Next(followers.Count)];
        var others = ctx.Cluster.Nodes.Where(n => n != stale).ToList();
        var behind = ctx.Options.FaultWindow / 2;

        await ctx.Cluster.KillAsync(stale, ct).ConfigureAwait(false);
        try
        {
            await ctx.DelayAsync(behind, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // cancelled before the fault was complete: leave the cluster whole
            await ctx.Cluster.RestartAsync(stale, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        foreach (var node in others)
        {
            await ctx.Cluster.KillAsync(node, ct).ConfigureAwait(false);
        }

        return new NemesisInjection([stale, .. others], $"stale {stale} killed {behind.TotalSeconds:0.0}s before the rest, restarted first",
            ctx.Options.FaultWindow - behind, async heal =>
            {
                await ctx.Cluster.RestartAsync(stale, heal).ConfigureAwait(false);
                await ctx.DelayAsync(ctx.Options.StaleHeadStart, heal).ConfigureAwait(false);
                foreach (var node in others)
                {
                    await ctx.Cluster.RestartAsync(node, heal).ConfigureAwait(false);
                }
            });
    });

    /// <summary>
    /// Every node loses power at once: unsynced writes are gone on all of them. Under ASYNC_FLUSH the
    /// checker expects loss of recently acked messages; under SYNC_FLUSH nothing acked may be lost.
    /// </summary>
    private static Nemesis PowerLoss() => new(NemesisNames.PowerLoss, c => Always(c) && c.SupportsPowerLoss, async (ctx, ct) =>
    {
        var nodes = ctx.Cluster.Nodes;
        await ctx.Cluster.PowerLossAsync(nodes, ct).ConfigureAwait(false);
        return new NemesisInjection(nodes, "all nodes, unsynced writes dropped", null, async heal =>
        {
            foreach (var node in nodes)
            {
                await ctx.Cluster.RestartAsync(node, heal).ConfigureAwait(false);
            }
        });
    });
}
