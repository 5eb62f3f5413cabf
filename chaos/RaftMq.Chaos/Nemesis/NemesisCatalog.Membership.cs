using RaftMq.Chaos.Network;

namespace RaftMq.Chaos.Nemesis;

public static partial class NemesisCatalog
{
    /// <summary>How far a learner may lag before it is promoted by hand (the leader's own auto-promotion rule).</summary>
    private const long CaughtUpLag = 64;

    private static readonly TimeSpan MembershipPoll = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Changes the group's members the way docs/operations/membership.md tells operators to, while a kill or a
    /// partition may be going on: a spare node joins (addPeer, started with dLegerPeers = members + itself, promoted by
    /// the leader, or added with --learner and promoted by hand once caught up), then a member leaves (removePeer, then
    /// SIGTERM): the killed node (a replacement), the leader, or a random voter. The group keeps its number of voters.
    /// Only voters count: the victim, the node that leaves and the quorum kept are voters (a learner left over by an
    /// unsettled window neither protects nor endangers a majority). Each step is asked again until the leader's
    /// raftStatus shows it done; on heal the concurrent fault ends, and the group is settled (learners promoted while
    /// voters are missing, else removed; extra voters removed) so that the next window starts from a whole group.
    /// </summary>
    private static Nemesis Membership() => new(NemesisNames.Membership, c => Always(c) && c.Spares.Count > 0, async (ctx, ct) =>
    {
        var cluster = ctx.Cluster;
        var voters = cluster.Voters;
        var victim = voters[ctx.Random.Next(voters.Count)];
        var fault = ctx.Random.Next(3);
        var operation = ctx.Random.Next(3);
        var joining = cluster.Spares[ctx.Random.Next(cluster.Spares.Count)];
        var steps = new List<string>();
        switch (fault)
        {
            case 1:
                await cluster.KillAsync(victim, ct).ConfigureAwait(false);
                steps.Add($"kill {victim}");
                break;
            case 2:
                cluster.Partition(PartitionPlan.Isolate(cluster.Pool, victim));
                steps.Add($"isolate {victim}");
                break;
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(ChangeDeadline(ctx.Options));
        string? leaving = null;
        try
        {
            var learner = operation == 2;
            await JoinAsync(ctx, joining, learner, steps, deadline.Token).ConfigureAwait(false);
            var leader = await ctx.Cluster.LeaderProbe.FindLeaderAsync(deadline.Token).ConfigureAwait(false);
            leaving = operation switch
            {
                0 when fault == 1 => victim,
                1 when leader is not null && leader != joining => leader,
                _ => RandomOther(ctx, joining),
            };
            await LeaveAsync(ctx, leaving, steps, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            steps.Add($"not done within {ChangeDeadline(ctx.Options).TotalSeconds:0}s");
        }

        var operationName = operation switch { 0 => "replace", 1 => "join, then remove the leader", _ => "join as learner, promote, remove" };
        return new NemesisInjection([.. new[] { victim, joining, leaving }.OfType<string>().Distinct()],
            $"{operationName}{(fault == 0 ? "" : $" during a {(fault == 1 ? "kill" : "partition")}")}: {string.Join("; ", steps)}",
            TimeSpan.FromSeconds(1), async heal =>
            {
                if (fault == 1 && cluster.Nodes.Contains(victim)) await cluster.RestartAsync(victim, heal).ConfigureAwait(false);
                if (fault == 2) cluster.HealNetwork();
                await SettleAsync(ctx, heal).ConfigureAwait(false);
            });
    });

    /// <summary>The change of one window may wait for an election and a catch-up; it gets more than the fault window.</summary>
    private static TimeSpan ChangeDeadline(NemesisOptions options) => options.FaultWindow * 3 > TimeSpan.FromSeconds(30)
        ? options.FaultWindow * 3
        : TimeSpan.FromSeconds(30);

    /// <summary>A random voter other than <paramref name="except"/>: removing it keeps the number of voters.</summary>
    private static string RandomOther(NemesisContext ctx, string except)
    {
        var others = ctx.Cluster.Voters.Where(n => n != except).ToList();
        return others[ctx.Random.Next(others.Count)];
    }

    /// <summary>addPeer (as voter-to-be, or learner), start the node, wait until it is a voter (promoting it by hand
    /// once caught up when it joined as a learner).</summary>
    private static async Task JoinAsync(NemesisContext ctx, string node, bool learner, List<string> steps, CancellationToken ct)
    {
        var cluster = ctx.Cluster;
        var kind = learner ? MembershipChangeKind.AddLearner : MembershipChangeKind.AddVoter;
        var added = await UntilAsync(ctx, m => m.IsMember(node), new MembershipChange(kind, node), ct).ConfigureAwait(false);
        await cluster.FollowMembershipAsync(added, ct).ConfigureAwait(false);
        await cluster.StartMemberAsync(node, ct).ConfigureAwait(false);
        steps.Add($"+{node}{(learner ? " (learner)" : "")}");
        if (learner)
        {
            await UntilAsync(ctx, m => m.LearnerLag.TryGetValue(node, out var lag) && lag is >= 0 and <= CaughtUpLag, null, ct).ConfigureAwait(false);
            await UntilAsync(ctx, m => m.IsVoter(node), new MembershipChange(MembershipChangeKind.Promote, node), ct).ConfigureAwait(false);
            steps.Add($"promoted {node}");
        }
        else
        {
            await UntilAsync(ctx, m => m.IsVoter(node), null, ct).ConfigureAwait(false);
            steps.Add($"{node} voter");
        }
    }

    /// <summary>removePeer until the leader's configuration no longer has the node, then stop it (its data stays: it is a
    /// spare again).</summary>
    private static async Task LeaveAsync(NemesisContext ctx, string node, List<string> steps, CancellationToken ct)
    {
        var left = await UntilAsync(ctx, m => !m.IsMember(node), new MembershipChange(MembershipChangeKind.Remove, node), ct).ConfigureAwait(false);
        await ctx.Cluster.FollowMembershipAsync(left, ct).ConfigureAwait(false);
        steps.Add($"-{node}");
    }

    /// <summary>
    /// After a window: a caught-up learner is promoted while the group has fewer voters than its size, else removed
    /// (promoting it would only make a voter to remove); voters beyond the group's size are removed (not the leader),
    /// so the next window starts from a whole group; members that are not running are started. Bounded; a group that
    /// cannot settle in time (no leader) is left as it is and settled by the next membership window.
    /// </summary>
    private static async Task SettleAsync(NemesisContext ctx, CancellationToken ct)
    {
        var cluster = ctx.Cluster;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(ChangeDeadline(ctx.Options));
        var size = cluster.GroupSize;
        try
        {
            while (true)
            {
                var (leader, membership) = await ReadAsync(ctx, deadline.Token).ConfigureAwait(false);
                await cluster.FollowMembershipAsync(membership, deadline.Token).ConfigureAwait(false);
                foreach (var member in membership.Members)
                {
                    await cluster.StartMemberAsync(member, deadline.Token).ConfigureAwait(false);
                }

                var change = SettlingChange(membership, leader, size);
                if (change is null && membership.LearnerLag.Count == 0) return;
                if (change is not null) await cluster.ChangeMembershipAsync(leader, change, deadline.Token).ConfigureAwait(false);
                await ctx.DelayAsync(MembershipPoll, deadline.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // no leader or no progress in time: the next membership window settles it
        }
    }

    /// <summary>
    /// The next step towards <paramref name="size"/> voters and no learner, or null (settled, or a learner still
    /// catching up while voters are missing). Decided on voters only: a learner is promoted only to fill a missing
    /// voter, and removed when the voters are complete.
    /// </summary>
    internal static MembershipChange? SettlingChange(GroupMembership membership, string leader, int size)
    {
        if (membership.LearnerLag.Count > 0)
        {
            if (membership.Voters.Count >= size) return new MembershipChange(MembershipChangeKind.Remove, membership.LearnerLag.Keys.First());
            return membership.LearnerLag.FirstOrDefault(l => l.Value is >= 0 and <= CaughtUpLag) is { Key: { } learner }
                ? new MembershipChange(MembershipChangeKind.Promote, learner)
                : null;
        }

        return membership.Voters.Count > size && membership.Voters.FirstOrDefault(v => v != leader) is { } extra
            ? new MembershipChange(MembershipChangeKind.Remove, extra)
            : null;
    }

    /// <summary>Asks the leader for <paramref name="change"/> (when not null) until its configuration satisfies
    /// <paramref name="done"/>; returns that configuration. Refusals and leader changes are asked again.</summary>
    private static async Task<GroupMembership> UntilAsync(
        NemesisContext ctx, Func<GroupMembership, bool> done, MembershipChange? change, CancellationToken ct)
    {
        while (true)
        {
            var (leader, membership) = await ReadAsync(ctx, ct).ConfigureAwait(false);
            if (done(membership)) return membership;
            if (change is not null) await ctx.Cluster.ChangeMembershipAsync(leader, change, ct).ConfigureAwait(false);
            await ctx.DelayAsync(MembershipPoll, ct).ConfigureAwait(false);
        }
    }

    /// <summary>The leader and its configuration, waiting for one to answer.</summary>
    private static async Task<(string Leader, GroupMembership Membership)> ReadAsync(NemesisContext ctx, CancellationToken ct)
    {
        while (true)
        {
            if (await ctx.Cluster.LeaderProbe.FindLeaderAsync(ct).ConfigureAwait(false) is { } leader
                && await ctx.Cluster.ReadMembershipAsync(leader, ct).ConfigureAwait(false) is { } membership)
            {
                return (leader, membership);
            }

            await ctx.DelayAsync(MembershipPoll, ct).ConfigureAwait(false);
        }
    }
}
