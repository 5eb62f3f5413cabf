using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using RaftMq.Consensus;
using RaftMq.Consensus.Core;
using RaftMq.Consensus.Runtime;
using RaftMq.Consensus.Tests.Log;
using RaftMq.Consensus.Tests.Transport;

namespace RaftMq.Consensus.Tests.Runtime;

public sealed class RaftNodeRecoveryTests
{
    [Fact]
    public async Task Follower_with_a_corrupt_log_says_so_and_neither_votes_nor_leads()
    {
        await using var group = new NodeGroup();
        await group.StartAll();
        for (int i = 0; i < 10; i++) await group.AppendCommitted($"m{i}");
        var leader = await group.WaitForLeader();
        string corruptId = group.Ids.First(id => id != leader.SelfId);
        string survivorId = group.Ids.First(id => id != leader.SelfId && id != corruptId);
        await Eventually.WaitUntil(() => group.Node(corruptId).AppliedIndex == leader.AppliedIndex, "the follower holds everything");
        await group.Stop(corruptId);
        // Synced data damaged with intact entries after it: corruption, not a torn tail.
        TempStore.FlipFileBit(Path.Combine(group.StoreDir(corruptId), "data", 0L.ToString("D20")), offset: 10);
        var roles = new ConcurrentQueue<(string Node, RaftRole Role)>();
        var survivor = group.Node(survivorId);
        survivor.StateChanged += s => roles.Enqueue((survivorId, s.Role));
        // The leader goes first: a live leader would see the corrupt log's loss and send it entries, which makes it
        // halt (see the next test); here it must stay in the group and answer the survivor.
        await group.Stop(leader.SelfId);

        var corrupt = await group.Restart(corruptId);
        corrupt.StateChanged += s => roles.Enqueue((corruptId, s.Role));
        Assert.True(corrupt.RefusesToLead);
        Assert.Contains(group.Logs[corruptId].Events, e => e.EventId == 1002 && e.Level == LogLevel.Critical);

        // The survivor keeps trying; without the corrupt node's vote it can never win, and the corrupt node never runs.
        long refusalsBefore = corrupt.SentMessages(MessageType.PreVoteResponse);
        await Eventually.WaitUntil(() => corrupt.SentMessages(MessageType.PreVoteResponse) >= refusalsBefore + 3,
            "the corrupt node answered three pre-votes of the survivor");
        Assert.DoesNotContain(roles, r => r.Role is RaftRole.Leader);
        Assert.DoesNotContain(roles, r => r.Node == corruptId && r.Role is RaftRole.PreCandidate or RaftRole.Candidate);
        Assert.Null(corrupt.HaltReason);
        Assert.NotEqual(RaftRole.Leader, survivor.State.Role);
    }

    [Fact]
    public async Task Corrupt_follower_halts_when_asked_to_store_new_entries_and_the_healthy_majority_keeps_committing()
    {
        await using var group = new NodeGroup();
        await group.StartAll();
        for (int i = 0; i < 5; i++) await group.AppendCommitted($"m{i}");
        var leader = await group.WaitForLeader();
        string corruptId = group.Ids.First(id => id != leader.SelfId);
        await Eventually.WaitUntil(() => group.Node(corruptId).AppliedIndex == leader.AppliedIndex, "the follower holds everything");
        await group.Stop(corruptId);
        TempStore.FlipFileBit(Path.Combine(group.StoreDir(corruptId), "data", 0L.ToString("D20")), offset: 10);
        var corrupt = await group.Restart(corruptId);
        string otherId = group.Ids.First(id => id != leader.SelfId && id != corruptId);
        // A corrupt log presents itself as empty: the leader that knew the follower sees the loss and sends it entries.
        for (int i = 5; i < 10; i++) await group.AppendCommitted($"m{i}");

        // Its log refuses changes, so it must never acknowledge them: it halts and drops out of the group loudly.
        await Eventually.WaitUntil(() => corrupt.HaltReason is not null, "the corrupt node halted");
        Assert.Contains(group.Logs[corruptId].Events, e => e.EventId == 1003 && e.Level == LogLevel.Critical);
        Assert.Equal(AppendStatus.NotLeader, (await corrupt.AppendAsync([NodeGroup.Bytes("x")], TimeSpan.FromSeconds(1))).Status);
        // AppendCommitted waits for the leader's commit; the other follower applies on its own time.
        await Eventually.WaitUntil(() => group.StateMachines[otherId].Payloads.Count == 10, "the healthy follower applied all ten");
    }

    [Fact]
    public async Task Lagging_follower_is_caught_up_by_snapshot_after_retention_deleted_the_entries_it_needs()
    {
        await using var group = new NodeGroup();
        await group.StartAll();
        string body = new('x', 200);
        var leader = await group.WaitForLeader();
        string laggingId = group.Ids.First(id => id != leader.SelfId);
        await group.AppendCommitted("0:early");
        await Eventually.WaitUntil(() => group.StateMachines[laggingId].Payloads.Count == 1, "the follower applied the first entry");
        await group.Stop(laggingId);
        for (int i = 1; i < 60; i++) await group.AppendCommitted($"{i}:{body}");

        var retention = await group.Node(leader.SelfId).RunRetentionAsync(DateTimeOffset.UtcNow.AddHours(1));
        var lagging = await group.Start(laggingId);

        Assert.True(retention.DeletedSegments > 0, $"retention deleted {retention.DeletedSegments} segments");
        Assert.True(retention.SnapshotIndex > 0);
        await Eventually.WaitUntil(() => group.StateMachines[laggingId].Payloads.Count == 60, "the lagging node holds all 60 payloads");
        Assert.Equal(group.StateMachines[leader.SelfId].Payloads, group.StateMachines[laggingId].Payloads);
        Assert.True(group.StateMachines[laggingId].RestoredSnapshots >= 1);
        Assert.Contains(group.Logs[laggingId].Events, e => e.EventId == 1031);
        Assert.True(lagging.FirstRetainedPos > 0, "its log now starts after the snapshot");
    }

    [Fact]
    public async Task Wiped_follower_is_caught_up_by_snapshot_after_retention_deleted_the_old_segments()
    {
        await using var group = new NodeGroup();
        await group.StartAll();
        string body = new('x', 200);
        for (int i = 0; i < 60; i++) await group.AppendCommitted($"{i}:{body}");
        var leader = await group.WaitForLeader();
        string wipedId = group.Ids.First(id => id != leader.SelfId);
        string otherId = group.Ids.First(id => id != leader.SelfId && id != wipedId);
        await group.Stop(wipedId);
        WipeLogKeepingHardState(group.StoreDir(wipedId));
        foreach (var node in group.Running) Assert.True((await node.RunRetentionAsync(DateTimeOffset.UtcNow.AddHours(1))).DeletedSegments > 0);
        Assert.True(leader.FirstRetainedPos > 0);

        // The leader that knew the follower before the wipe notices the loss and sends it the snapshot, then entries.
        var wiped = await group.Restart(wipedId);
        await group.WaitUntil(() => group.StateMachines[wipedId].Payloads.Count == 60, "the wiped node holds all 60 payloads");
        for (int i = 60; i < 70; i++) await group.AppendCommitted($"{i}:{body}");

        await group.WaitUntil(() => group.StateMachines[wipedId].Payloads.Count == 70, "the wiped node holds all 70 payloads");
        await group.WaitUntil(() => group.StateMachines[otherId].Payloads.Count == 70, "the other follower holds all 70 payloads");
        Assert.Equal(group.StateMachines[otherId].Payloads, group.StateMachines[wipedId].Payloads);
        Assert.True(group.StateMachines[wipedId].RestoredSnapshots >= 1);
        Assert.True(wiped.FirstRetainedPos > 0, "the wiped node's log starts after the snapshot");
    }

    [Fact]
    public async Task Restarted_node_starts_at_the_applied_index_of_its_durable_state_machine()
    {
        await using var group = new NodeGroup();
        await group.StartAll();
        for (int i = 0; i < 5; i++) await group.AppendCommitted($"m{i}");
        var leader = await group.WaitForLeader();
        string followerId = group.Ids.First(id => id != leader.SelfId);
        var follower = group.Node(followerId);
        await Eventually.WaitUntil(() => follower.AppliedIndex == leader.AppliedIndex, "the follower applied everything");
        long applied = follower.AppliedIndex;
        long committedEndPos = follower.CommittedEndPos;
        await group.Stop(followerId); // saves the hard state with the latest commit index

        // The same state machine (durable in a real broker): nothing it holds is handed out again, and committed
        // reads are served up to it before the node even starts.
        await using var restarted = RaftNode.Create(group.OptionsFor(followerId), group.StateMachines[followerId],
            new CapturingLoggerFactory(), group.Settings);

        Assert.Equal(applied, restarted.AppliedIndex);
        Assert.Equal(committedEndPos, restarted.CommittedEndPos);
    }

    [Fact]
    public async Task Node_with_different_dLegerPeers_is_refused_and_the_group_does_not_split()
    {
        await using var group = new NodeGroup();
        int[] extra = FreePorts.Take(1);
        string wrongPeers = group.PeersText + $";n3-127.0.0.1:{extra[0]}";
        await group.Start("n0");
        await group.Start("n1");
        var misconfigured = await group.Start("n2", group.OptionsFor("n2", wrongPeers));

        var leader = await group.WaitForLeader([group.Node("n0"), group.Node("n1")]);
        for (int i = 0; i < 5; i++) await group.AppendCommitted($"m{i}");
        await Eventually.WaitUntil(() => group.Logs["n2"].Has(1520) || group.Logs["n2"].Has(1521), "n2 logged the refused handshake");

        Assert.Null(misconfigured.State.LeaderId);
        Assert.NotEqual(RaftRole.Leader, misconfigured.State.Role);
        Assert.Empty(group.StateMachines["n2"].Payloads);
        Assert.Equal(5, group.StateMachines[leader.SelfId].Payloads.Count);
    }

    /// <summary>The operator procedure of docs/operations/corrupt-log.md: delete the log files, keep hardstate.</summary>
    private static void WipeLogKeepingHardState(string storeDir)
    {
        foreach (string directory in new[] { "data", "index" })
        {
            string path = Path.Combine(storeDir, directory);
            if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
        }
        foreach (string file in new[] { "snapshot", "base", "checkpoint" })
        {
            File.Delete(Path.Combine(storeDir, file));
        }
        Assert.True(File.Exists(Path.Combine(storeDir, "hardstate")));
    }
}
