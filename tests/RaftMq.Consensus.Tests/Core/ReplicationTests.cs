using RaftMq.Consensus.Core;
using RaftMq.Consensus.Tests.Simulation;

namespace RaftMq.Consensus.Tests.Core;

public sealed class ReplicationTests
{
    [Fact]
    public void Proposals_get_contiguous_positions_and_commit_on_every_node()
    {
        var cluster = new TestCluster(3).Start();
        cluster.Elect("n1");
        long firstIndex = cluster["n1"].Core!.LastIndex + 1;
        ProposeResult result = cluster["n1"].Core!.Propose(new ReadOnlyMemory<byte>[] { new byte[10], new byte[3] });
        cluster.TickAll(2);

        Assert.Equal(ProposeResult.Accepted, result);
        foreach (TestNode node in cluster.Nodes)
        {
            LogEntry a = node.Log.EntryAt(firstIndex);
            LogEntry b = node.Log.EntryAt(firstIndex + 1);
            Assert.Equal(EntryLayout.HeaderSize + 10, a.Size);
            Assert.Equal(a.EndPos, b.Pos);
            Assert.Equal(node.Log.EntryAt(firstIndex - 1).EndPos, a.Pos);
            Assert.Equal(firstIndex + 1, node.Applied[^1].Index);
        }
    }

    [Fact]
    public void Follower_refuses_proposals_with_not_leader()
    {
        var cluster = new TestCluster(3).Start();
        cluster.Elect("n1");

        Assert.Equal(ProposeResult.NotLeader, cluster.Propose("n2", "x"));
        Assert.Equal("n1", cluster["n2"].State.LeaderId);
    }

    [Fact]
    public void Leader_pushes_back_with_busy_beyond_the_uncommitted_byte_limit()
    {
        var cluster = new TestCluster(3, (_, o) => o with { MaxUncommittedBytes = 300 }).Start();
        cluster.Elect("n1");
        cluster.Drop(m => m.Type == MessageType.AppendResponse); // nothing commits while the acks are lost

        var results = Enumerable.Range(0, 6).Select(i => cluster.Propose("n1", new string('p', 50))).ToList();

        Assert.Equal(ProposeResult.Accepted, results[0]);
        Assert.Contains(ProposeResult.Busy, results);
        cluster.HealAll();
        cluster.TickAll(8);
        Assert.Equal(ProposeResult.Accepted, cluster.Propose("n1", "after-commit"));
    }

    [Fact]
    public void Leader_counts_its_own_entries_only_after_they_are_persisted()
    {
        var cluster = new TestCluster(3).Start();
        cluster.Elect("n1");
        RaftCore leader = cluster["n1"].Core!;
        long commit = leader.CommitIndex;
        cluster.Crash("n3");

        // Propose without running the node's loop: the entry is only in the core's unstable tail.
        leader.Propose(new ReadOnlyMemory<byte>[] { new byte[] { 1 } });
        Ready ready = leader.GetReady();
        Message append = ready.Messages.Single(m => m.Type == MessageType.Append && m.To == "n2");
        // n2 acknowledges the entry while the leader's own write is still in flight.
        cluster["n2"].Core!.Step(append);
        Ready followerReady = cluster["n2"].Core!.GetReady();
        cluster["n2"].Log.Append(followerReady.Entries);
        cluster["n2"].Core!.Advance(followerReady);
        leader.Step(followerReady.Messages.Single(m => m.Type == MessageType.AppendResponse));

        Assert.Equal(commit, leader.CommitIndex); // n2 + an unpersisted leader copy is not a durable majority
        cluster["n1"].Log.Append(ready.Entries);
        leader.Advance(ready);
        Assert.Equal(commit + 1, leader.CommitIndex);
    }

    [Fact]
    public void Committed_entries_are_handed_out_only_once_durable_locally()
    {
        var log = new MemoryRaftLog();
        var follower = new RaftCore(new RaftOptions { SelfId = "n2", Peers = new[] { "n1", "n2", "n3" } }, log, HardState.Empty, new SeededRandomSource(1));
        var entry = new LogEntry(1, 1, 0, EntryType.Normal, new byte[] { 7 });

        follower.Step(new Message { Type = MessageType.Append, From = "n1", To = "n2", Term = 1, Entries = new[] { entry }, Commit = 1 });
        Ready first = follower.GetReady();

        Assert.Equal(1, follower.CommitIndex);
        Assert.Single(first.Entries);
        Assert.Empty(first.CommittedEntries);
        log.Append(first.Entries);
        follower.Advance(first);
        Ready second = follower.GetReady();
        Assert.Equal(1, Assert.Single(second.CommittedEntries).Index);
    }

    [Fact]
    public void Position_disagreement_with_the_leader_stops_the_node_loudly()
    {
        var log = new MemoryRaftLog();
        log.Append(new[] { new LogEntry(1, 1, 0, EntryType.Normal, new byte[4]) });
        var follower = new RaftCore(new RaftOptions { SelfId = "n2", Peers = new[] { "n1", "n2", "n3" } }, log, new HardState(1, null, 0), new SeededRandomSource(1));
        var wrongPos = new LogEntry(2, 1, 999, EntryType.Normal, new byte[1]);

        var error = Assert.Throws<InvalidOperationException>(() => follower.Step(new Message
        {
            Type = MessageType.Append, From = "n1", To = "n2", Term = 1, LogIndex = 1, LogTerm = 1, Entries = new[] { wrongPos },
        }));
        Assert.StartsWith("consensus invariant violated", error.Message);
    }

    [Fact]
    public void Messages_for_another_node_or_answers_from_strangers_are_ignored()
    {
        // Requests from a non-member are taken (a leader may hold a configuration this node has not seen yet), but
        // answers from one never count.
        var follower = new RaftCore(new RaftOptions { SelfId = "n2", Peers = new[] { "n1", "n2", "n3" } }, new MemoryRaftLog(), HardState.Empty, new SeededRandomSource(1));

        follower.Step(new Message { Type = MessageType.Heartbeat, From = "n1", To = "n3", Term = 5 });
        follower.Step(new Message { Type = MessageType.AppendResponse, From = "x9", To = "n2", Term = 5 });
        follower.Step(new Message { Type = MessageType.VoteResponse, From = "x9", To = "n2", Term = 5 });

        Assert.Equal(0, follower.SoftState.Term);
        Assert.False(follower.HasReady);
    }

    [Fact]
    public void Stale_leader_learns_the_newer_term_from_the_follower_answer()
    {
        var follower = new RaftCore(new RaftOptions { SelfId = "n2", Peers = new[] { "n1", "n2", "n3" } }, new MemoryRaftLog(), new HardState(5, null, 0), new SeededRandomSource(1));

        follower.Step(new Message { Type = MessageType.Append, From = "n1", To = "n2", Term = 3 });

        Message answer = Assert.Single(follower.GetReady().Messages);
        Assert.Equal((MessageType.AppendResponse, 5L), (answer.Type, answer.Term));
    }
}
