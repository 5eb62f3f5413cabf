using RaftMq.Consensus.Core;
using RaftMq.Consensus.Tests.Simulation;

namespace RaftMq.Consensus.Tests.Core;

public sealed class ElectionTests
{
    private static RaftCore NewCore(string self = "n1", int peers = 3, int seed = 1, bool refuseToLead = false, MemoryRaftLog? log = null, HardState? state = null) =>
        new(new RaftOptions
            {
                SelfId = self, Peers = Enumerable.Range(1, peers).Select(i => "n" + i).ToArray(), RefuseToLead = refuseToLead,
            },
            log ?? new MemoryRaftLog(), state ?? HardState.Empty, new SeededRandomSource(seed));

    private static List<Message> Drain(RaftCore core)
    {
        var messages = new List<Message>();
        while (core.HasReady)
        {
            Ready ready = core.GetReady();
            messages.AddRange(ready.Messages);
            core.Advance(ready);
        }
        return messages;
    }

    [Fact]
    public void Election_timeout_is_randomized_between_one_and_two_election_timeouts()
    {
        var timeouts = new HashSet<int>();
        for (int seed = 0; seed < 200; seed++)
        {
            RaftCore core = NewCore(seed: seed);
            int ticks = 0;
            while (core.SoftState.Role == RaftRole.Follower)
            {
                core.Tick();
                ticks++;
            }
            timeouts.Add(ticks);
        }
        Assert.Equal(Enumerable.Range(10, 10).ToHashSet(), timeouts);
    }

    [Fact]
    public void Pre_candidate_asks_at_the_next_term_without_raising_its_own()
    {
        RaftCore core = NewCore();
        for (int i = 0; i < 20 && core.SoftState.Role == RaftRole.Follower; i++) core.Tick();

        Assert.Equal(RaftRole.PreCandidate, core.SoftState.Role);
        Assert.Equal(0, core.SoftState.Term);
        List<Message> requests = Drain(core);
        Assert.Equal(2, requests.Count);
        Assert.All(requests, m => Assert.Equal((MessageType.PreVote, 1L), (m.Type, m.Term)));
    }

    [Fact]
    public void Vote_is_persisted_in_the_same_ready_that_sends_the_grant()
    {
        RaftCore voter = NewCore("n2");
        voter.Step(new Message { Type = MessageType.Vote, From = "n1", To = "n2", Term = 1, LogIndex = 0, LogTerm = 0 });

        Ready ready = voter.GetReady();

        Assert.Equal(new HardState(1, "n1", 0), ready.HardState);
        Message grant = Assert.Single(ready.Messages);
        Assert.Equal((MessageType.VoteResponse, false), (grant.Type, grant.Reject));
        Assert.True(ready.MustSync);
    }

    [Fact]
    public void Vote_is_refused_to_a_candidate_whose_log_is_behind()
    {
        var log = new MemoryRaftLog();
        log.Append(new[] { new LogEntry(1, 2, 0, EntryType.Normal, new byte[1]) });
        RaftCore voter = NewCore("n2", log: log, state: new HardState(2, null, 0));

        // Same last term, shorter log; then a longer log with an older last term.
        voter.Step(new Message { Type = MessageType.Vote, From = "n1", To = "n2", Term = 3, LogIndex = 0, LogTerm = 0 });
        voter.Step(new Message { Type = MessageType.Vote, From = "n3", To = "n2", Term = 3, LogIndex = 5, LogTerm = 1 });

        List<Message> answers = Drain(voter);
        Assert.All(answers, m => Assert.True(m.Reject));
        Assert.Null(voter.HardState.VotedFor);
    }

    [Fact]
    public void Node_votes_once_per_term()
    {
        RaftCore voter = NewCore("n2");
        voter.Step(new Message { Type = MessageType.Vote, From = "n1", To = "n2", Term = 1 });
        voter.Step(new Message { Type = MessageType.Vote, From = "n3", To = "n2", Term = 1 });

        List<Message> answers = Drain(voter);
        Assert.False(answers.Single(m => m.To == "n1").Reject);
        Assert.True(answers.Single(m => m.To == "n3").Reject);
    }

    [Fact]
    public void Follower_that_hears_from_its_leader_ignores_vote_requests_unless_they_come_from_a_transfer()
    {
        RaftCore follower = NewCore("n2");
        follower.Step(new Message { Type = MessageType.Heartbeat, From = "n1", To = "n2", Term = 1 });
        Drain(follower);

        follower.Step(new Message { Type = MessageType.Vote, From = "n3", To = "n2", Term = 2 });
        Assert.Empty(Drain(follower));
        Assert.Equal(1, follower.SoftState.Term);

        follower.Step(new Message { Type = MessageType.Vote, From = "n3", To = "n2", Term = 2, Transfer = true });
        Message answer = Assert.Single(Drain(follower));
        Assert.False(answer.Reject);
        Assert.Equal(2, follower.SoftState.Term);
    }

    [Fact]
    public void Leader_steps_down_when_it_loses_quorum()
    {
        var cluster = new TestCluster(3).Start();
        cluster.Elect("n1");
        cluster.Isolate("n1");

        cluster.Tick("n1", 25);

        Assert.Equal(RaftRole.Follower, cluster["n1"].State.Role);
        Assert.Equal(ProposeResult.NotLeader, cluster.Propose("n1", "x"));
    }

    [Fact]
    public void Node_that_refuses_to_lead_never_campaigns_or_votes_but_still_follows()
    {
        var cluster = new TestCluster(3, (id, o) => o with { RefuseToLead = id == "n3" }).Start();
        cluster.Tick("n3", 100);
        Assert.DoesNotContain(cluster.Sent, m => m.From == "n3");

        cluster.Elect("n1");
        cluster.Propose("n1", "a");
        cluster.TickAll(3);
        cluster.Crash("n2");
        cluster.TickAll(100); // n1 alone with n3: n3 never votes for anyone, so no new leader may appear

        Assert.Equal(new[] { "a" }, cluster["n3"].AppliedPayloads);
        Assert.All(cluster.Sent.Where(m => m.From == "n3" && m.Type is MessageType.VoteResponse or MessageType.PreVoteResponse), m => Assert.True(m.Reject));
        Assert.NotEqual(RaftRole.Leader, cluster["n3"].State.Role);
        Assert.NotEqual(RaftRole.Candidate, cluster["n3"].State.Role);
    }

    [Fact]
    public void Follower_whose_leader_connection_dropped_pre_votes_within_half_an_election_timeout()
    {
        RaftCore follower = NewCore("n2");
        follower.Step(new Message { Type = MessageType.Heartbeat, From = "n1", To = "n2", Term = 1 });
        Drain(follower);

        follower.ReportUnreachable("n1");
        int ticks = 0;
        while (follower.SoftState.Role == RaftRole.Follower && ticks < 20)
        {
            follower.Tick();
            ticks++;
        }

        Assert.Equal(RaftRole.PreCandidate, follower.SoftState.Role);
        Assert.InRange(ticks, 1, 5);
        Assert.Equal(1, follower.SoftState.Term);
    }

    [Fact]
    public void Single_node_group_elects_itself_and_commits_its_noop_after_persisting_it()
    {
        var log = new MemoryRaftLog();
        var core = new RaftCore(new RaftOptions { SelfId = "solo", Peers = new[] { "solo" } }, log, HardState.Empty, new SeededRandomSource(3));
        for (int i = 0; i < 20; i++) core.Tick();

        Assert.Equal(RaftRole.Leader, core.SoftState.Role);
        Assert.Equal(0, core.CommitIndex); // the NOOP is not durable yet
        Ready ready = core.GetReady();
        Assert.Equal(EntryType.Noop, Assert.Single(ready.Entries).Type);
        log.Append(ready.Entries);
        core.Advance(ready);
        Assert.Equal(1, core.CommitIndex);
    }
}
