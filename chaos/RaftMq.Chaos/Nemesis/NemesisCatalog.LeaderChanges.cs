namespace RaftMq.Chaos.Nemesis;

public static partial class NemesisCatalog
{
    /// <summary>Longest a node may take to stop after SIGTERM (a leader hands over first, 5 s by default).</summary>
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(20);

    /// <summary>Longest a restarted node may take to serve again with a leader in the group.</summary>
    private static readonly TimeSpan ServingDeadline = TimeSpan.FromSeconds(60);

    /// <summary>How often the rolling restart looks for a leader to measure the time without one.</summary>
    private static readonly TimeSpan LeaderProbeInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// A planned hand-over: the leader is asked (admin code 9001) to transfer leadership to a random follower. Clients
    /// keep sending to the old leader until their routes refresh; with forwarding nothing they send there fails.
    /// </summary>
    private static Nemesis TransferLeader() => new(NemesisNames.TransferLeader, Always, async (ctx, ct) =>
    {
        var leader = await ctx.Cluster.LeaderProbe.FindLeaderAsync(ct).ConfigureAwait(false);
        if (leader is null || !ctx.Cluster.Nodes.Contains(leader))
        {
            return new NemesisInjection([], "no leader known, nothing transferred", TimeSpan.Zero, _ => Task.CompletedTask);
        }

        var followers = ctx.Cluster.Voters.Where(n => n != leader).ToList();
        var target = followers[ctx.Random.Next(followers.Count)];
        bool accepted = await ctx.Cluster.TransferLeadershipAsync(leader, target, ct).ConfigureAwait(false);
        return new NemesisInjection([leader, target], $"{leader} -> {target}{(accepted ? "" : " (refused)")}", null, _ => Task.CompletedTask);
    });

    /// <summary>
    /// An operator's rolling restart: followers first, the leader last; each node gets SIGTERM (a leader hands over
    /// first), is started again, and the next one stops once it serves and had <see cref="NemesisOptions.RollingGap"/> to catch up.
    /// The detail reports how long the group had no writable leader during the roll (probed every 50 ms).
    /// </summary>
    private static Nemesis RollingRestart() => new(NemesisNames.RollingRestart, Always, async (ctx, ct) =>
    {
        var leader = await ctx.Cluster.LeaderProbe.FindLeaderAsync(ct).ConfigureAwait(false);
        var order = ctx.Cluster.Nodes.Where(n => n != leader).Concat(ctx.Cluster.Nodes.Where(n => n == leader)).ToList();
        using var rolling = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var withoutLeader = MeasureTimeWithoutLeaderAsync(ctx, rolling.Token);
        string? stopped = null;
        try
        {
            foreach (var node in order)
            {
                stopped = node;
                await ctx.Cluster.StopAsync(node, StopGrace, ct).ConfigureAwait(false);
                await ctx.Cluster.RestartAsync(node, ct).ConfigureAwait(false);
                stopped = null;
                await ctx.Cluster.WaitUntilServingAsync(node, ServingDeadline, ct).ConfigureAwait(false);
                await ctx.DelayAsync(ctx.Options.RollingGap, ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stopped is not null)
        {
            // cancelled with a node down: leave the cluster whole
            await ctx.Cluster.RestartAsync(stopped, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
        finally
        {
            await rolling.CancelAsync().ConfigureAwait(false);
        }

        var (gaps, total) = await withoutLeader.ConfigureAwait(false);
        return new NemesisInjection(order,
            $"rolled {string.Join(",", order)}; no writable leader {gaps} time(s), {total.TotalMilliseconds:0} ms in all",
            TimeSpan.Zero, _ => Task.CompletedTask);
    });

    /// <summary>Counts the stretches without a writable leader, and their total length, until cancelled.</summary>
    private static async Task<(int Gaps, TimeSpan Total)> MeasureTimeWithoutLeaderAsync(NemesisContext ctx, CancellationToken stop)
    {
        int gaps = 0;
        var total = TimeSpan.Zero;
        long? gapStarted = null;
        while (!stop.IsCancellationRequested)
        {
            string? leader;
            try
            {
                leader = await ctx.Cluster.LeaderProbe.FindLeaderAsync(stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            long now = ctx.Time.GetTimestamp();
            if (leader is null && gapStarted is null)
            {
                gapStarted = now;
                gaps++;
            }
            else if (leader is not null && gapStarted is { } started)
            {
                total += ctx.Time.GetElapsedTime(started, now);
                gapStarted = null;
            }

            try
            {
                await Task.Delay(LeaderProbeInterval, ctx.Time, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        if (gapStarted is { } open) total += ctx.Time.GetElapsedTime(open);
        return (gaps, total);
    }
}
