using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RaftMq.Consensus.Core;
using RaftMq.Consensus.Log;
using RaftMq.Consensus.Tests.Transport;

namespace RaftMq.Consensus.Tests.Runtime;

/// <summary>
/// A state machine can hold entries its log lost (ASYNC_FLUSH power loss cuts unsynced entries; the state machine's
/// own files were synced independently). On start the node must notice and derive the state again, or it would skip
/// the entries that later refill those indexes.
/// </summary>
public sealed class StateMachineAheadOfLogTests
{
    [Fact]
    public async Task State_machine_past_the_end_of_the_log_is_reset_and_rederived()
    {
        await using var group = new NodeGroup();
        var (leader, followerId, _) = await StopCaughtUpFollower(group, entries: 5);

        var ahead = new RecordingStateMachine(appliedIndex: leader.AppliedIndex + 100, appliedTerm: leader.State.Term);
        await group.Start(followerId, stateMachine: ahead);
        await group.AppendCommitted("m5");

        await Eventually.WaitUntil(() => ahead.Payloads.Count == 6, "the reset state machine applied every entry again");
        Assert.Equal(Enumerable.Range(0, 6).Select(i => $"m{i}"), ahead.Payloads);
        Assert.Equal(1, ahead.Resets);
        Assert.Contains(group.Logs[followerId].Events, e => e.EventId == 1032 && e.Level == LogLevel.Warning);
    }

    [Fact]
    public async Task State_machine_whose_applied_entry_has_another_term_in_the_log_is_reset()
    {
        await using var group = new NodeGroup();
        var (leader, followerId, applied) = await StopCaughtUpFollower(group, entries: 3);

        // Same index, different term: the index was refilled by another leader after the entries it named were lost.
        var diverged = new RecordingStateMachine(appliedIndex: applied, appliedTerm: leader.State.Term + 7);
        await group.Start(followerId, stateMachine: diverged);

        await Eventually.WaitUntil(() => diverged.Payloads.Count == 3, "the reset state machine applied every entry again");
        Assert.Equal(1, diverged.Resets);
    }

    [Fact]
    public async Task State_machine_whose_applied_entry_the_log_holds_is_kept_and_not_replayed()
    {
        await using var group = new NodeGroup();
        var (_, followerId, applied) = await StopCaughtUpFollower(group, entries: 3);
        long term = group.StateMachines[followerId].AppliedTerm;

        var current = new RecordingStateMachine(appliedIndex: applied, appliedTerm: term);
        await group.Start(followerId, stateMachine: current);
        await group.AppendCommitted("m3");

        await Eventually.WaitUntil(() => current.Payloads.Count == 1, "the new entry was applied");
        Assert.Equal(["m3"], current.Payloads);
        Assert.Equal(0, current.Resets);
    }

    [Fact]
    public async Task Applied_entries_the_new_leader_replaces_are_rederived_not_skipped()
    {
        await using var group = new NodeGroup();
        var (oldLeader, laggardId, _) = await StopCaughtUpFollower(group, entries: 3);
        long oldTerm = oldLeader.State.Term;

        // The laggard holds two entries of the old term that it applied but no other node kept (a power loss took
        // them everywhere else): its state machine skips them on restart, as it should while they stay.
        long lostFrom;
        using (var log = SegmentedLog.Open(new LogStoreOptions { StorePath = group.StoreDir(laggardId) }, NullLogger<SegmentedLog>.Instance))
        {
            lostFrom = log.LastIndex + 1;
            var first = new LogEntry(lostFrom, oldTerm, log.NextPos, EntryType.Normal, NodeGroup.Bytes("lost-a"));
            log.Append([first, new LogEntry(lostFrom + 1, oldTerm, first.EndPos, EntryType.Normal, NodeGroup.Bytes("lost-b"))]);
            log.Sync();
        }
        // The other two move to a newer term and fill those indexes with other entries.
        await group.Stop(oldLeader.SelfId);
        await group.Restart(oldLeader.SelfId);
        await group.AppendCommitted("n0");
        await group.AppendCommitted("n1");
        Assert.True((await group.WaitForLeader()).State.Term > oldTerm);

        var ahead = new RecordingStateMachine(appliedIndex: lostFrom + 1, appliedTerm: oldTerm);
        await group.Start(laggardId, stateMachine: ahead);

        await Eventually.WaitUntil(() => ahead.Payloads.Count == 5, "the laggard derived every surviving entry");
        Assert.Equal(["m0", "m1", "m2", "n0", "n1"], ahead.Payloads);
        Assert.Equal(1, ahead.Resets);
        Assert.Contains(group.Logs[laggardId].Events, e => e.EventId == 1033 && e.Level == LogLevel.Warning);
    }

    /// <summary>Starts the group, commits <paramref name="entries"/> payloads m0.., and stops a follower that applied them all.</summary>
    private static async Task<(RaftMq.Consensus.Runtime.RaftNode Leader, string FollowerId, long Applied)> StopCaughtUpFollower(NodeGroup group, int entries)
    {
        await group.StartAll();
        for (int i = 0; i < entries; i++) await group.AppendCommitted($"m{i}");
        var leader = await group.WaitForLeader();
        string followerId = group.Ids.First(id => id != leader.SelfId);
        await Eventually.WaitUntil(() => group.Node(followerId).AppliedIndex == leader.AppliedIndex, "the follower holds everything");
        long applied = group.Node(followerId).AppliedIndex;
        await group.Stop(followerId);
        return (leader, followerId, applied);
    }
}
