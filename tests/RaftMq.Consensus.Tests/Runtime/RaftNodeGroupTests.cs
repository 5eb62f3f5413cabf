using System.Collections.Concurrent;
using RaftMq.Consensus.Core;
using RaftMq.Consensus.Runtime;
using RaftMq.Consensus.Tests.Transport;

namespace RaftMq.Consensus.Tests.Runtime;

public sealed class RaftNodeGroupTests
{
    [Fact]
    public async Task Group_elects_a_leader_and_every_node_applies_the_appends_in_the_same_order()
    {
        await using var group = new NodeGroup();
        await group.StartAll();
        var leader = await group.WaitForLeader();

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            leader.AppendAsync([NodeGroup.Bytes($"m{i}")], TimeSpan.FromSeconds(20)).AsTask()));
        var batch = await leader.AppendAsync([NodeGroup.Bytes("b0"), NodeGroup.Bytes("b1"), NodeGroup.Bytes("b2")], TimeSpan.FromSeconds(20));

        Assert.All(outcomes, o => Assert.Equal(AppendStatus.Committed, o.Status));
        Assert.Equal(AppendStatus.Committed, batch.Status);
        Assert.Equal(outcomes.Length, outcomes.Select(o => o.Index).Distinct().Count());
        var expected = group.StateMachines[leader.SelfId].Payloads;
        Assert.Equal(53, expected.Count);
        Assert.Equal(["b0", "b1", "b2"], expected.Skip(50));
        // The apply result of a batch is the state machine's answer for its first entry.
        Assert.Equal(51, batch.Result);
        Assert.True(leader.TryReadCommitted(batch.Pos + EntryLayout.HeaderSize, new byte[2]));
        await Eventually.WaitUntil(() => group.Ids.All(id => group.StateMachines[id].Payloads.Count == 53), "every node applied all 53");
        foreach (string id in group.Ids) Assert.Equal(expected, group.StateMachines[id].Payloads);
    }

    [Fact]
    public async Task Follower_answers_NotLeader_naming_the_leader_and_appends_nothing()
    {
        await using var group = new NodeGroup();
        await group.StartAll();
        var leader = await group.WaitForLeader();
        var follower = group.Running.First(n => n != leader);

        var outcome = await follower.AppendAsync([NodeGroup.Bytes("x")], TimeSpan.FromSeconds(5));

        Assert.Equal(AppendStatus.NotLeader, outcome.Status);
        Assert.Equal(leader.SelfId, outcome.LeaderId);
        Assert.False(follower.TransferLeadership(leader.SelfId));
    }

    [Fact]
    public async Task StateChanged_reports_the_new_leader_on_a_thread_pool_thread()
    {
        await using var group = new NodeGroup();
        var events = new ConcurrentQueue<(string Node, SoftState State, bool OnPool)>();
        foreach (string id in group.Ids)
        {
            var node = await group.Start(id);
            node.StateChanged += state => events.Enqueue((id, state, Thread.CurrentThread.IsThreadPoolThread));
        }
        var leader = await group.WaitForLeader();

        await Eventually.WaitUntil(() => events.Any(e => e.Node == leader.SelfId && e.State.Role == RaftRole.Leader),
            "the leader raised StateChanged with role Leader");
        Assert.All(events, e => Assert.True(e.OnPool));
        Assert.Contains(group.Logs[leader.SelfId].Messages(1010), m => m.Contains("-> Leader", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Killed_leader_is_replaced_no_committed_entry_is_lost_and_it_catches_up_after_restart()
    {
        await using var group = new NodeGroup();
        await group.StartAll();
        var committed = new List<string>();
        for (int i = 0; i < 20; i++)
        {
            await group.AppendCommitted($"before-{i}");
            committed.Add($"before-{i}");
        }
        var oldLeader = await group.WaitForLeader();
        long oldTerm = oldLeader.State.Term;

        await group.Stop(oldLeader.SelfId);
        var newLeader = await group.WaitForLeader();
        for (int i = 0; i < 20; i++)
        {
            await group.AppendCommitted($"after-{i}");
            committed.Add($"after-{i}");
        }

        Assert.NotEqual(oldLeader.SelfId, newLeader.SelfId);
        Assert.True(newLeader.State.Term > oldTerm);
        var restarted = await group.Restart(oldLeader.SelfId);
        await Eventually.WaitUntil(() => committed.All(group.StateMachines[restarted.SelfId].Payloads.Contains),
            "the restarted node applied every committed payload");
        var reference = group.StateMachines[newLeader.SelfId].Payloads;
        Assert.All(committed, payload => Assert.Contains(payload, reference));
        await Eventually.WaitUntil(() => group.StateMachines[restarted.SelfId].Payloads.Count >= reference.Count, "restarted node caught up");
        Assert.Equal(reference, group.StateMachines[restarted.SelfId].Payloads.Take(reference.Count));
    }

    [Fact]
    public async Task Waiting_append_completes_Unknown_when_the_leader_loses_its_majority()
    {
        await using var group = new NodeGroup();
        await group.StartAll();
        var leader = await group.WaitForLeader();
        await group.AppendCommitted("first");
        foreach (var follower in group.Running.Where(n => n != leader).ToList()) await group.Stop(follower.SelfId);

        var outcome = await leader.AppendAsync([NodeGroup.Bytes("orphan")], TimeSpan.FromSeconds(30));

        Assert.Equal(AppendStatus.Unknown, outcome.Status);
        Assert.True(outcome.Index > 0);
        await Eventually.WaitUntil(() => leader.State.Role != RaftRole.Leader, "the isolated leader stepped down (check-quorum)");
        Assert.Equal(AppendStatus.NotLeader, (await leader.AppendAsync([NodeGroup.Bytes("late")], TimeSpan.FromSeconds(1))).Status);
    }

    [Fact]
    public async Task Append_that_is_not_committed_in_time_completes_Unknown()
    {
        // A long election timeout (10-20 s) keeps the isolated leader leading while the short append timeout passes.
        // The first election can take more than one such timeout (a split vote), so the wait for it is longer too.
        await using var group = new NodeGroup(tune: o => o with { ElectionTicks = 400 });
        await group.StartAll();
        RaftNode? leader = null;
        for (int attempt = 0; leader is null; attempt++)
        {
            try
            {
                leader = await group.WaitForLeader();
            }
            catch (TimeoutException) when (attempt < 2)
            {
            }
        }
        foreach (var follower in group.Running.Where(n => n != leader).ToList()) await group.Stop(follower.SelfId);

        var outcome = await leader.AppendAsync([NodeGroup.Bytes("slow")], TimeSpan.FromMilliseconds(200));

        Assert.Equal(AppendStatus.Unknown, outcome.Status);
        Assert.Empty(group.StateMachines[leader.SelfId].Payloads);
    }

    [Fact]
    public async Task Cancelled_append_throws_and_does_not_disturb_later_appends()
    {
        await using var group = new NodeGroup(size: 1);
        await group.StartAll();
        var leader = await group.WaitForLeader();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            await leader.AppendAsync([NodeGroup.Bytes("never")], TimeSpan.FromSeconds(5), cancelled.Token));
        for (int i = 0; i < 200; i++)
        {
            var outcome = await leader.AppendAsync([NodeGroup.Bytes($"p{i}")], TimeSpan.FromSeconds(20));
            Assert.Equal(AppendStatus.Committed, outcome.Status);
            Assert.Equal(i + 1, outcome.Result);
        }
        Assert.DoesNotContain("never", group.StateMachines[leader.SelfId].Payloads);
    }
}
