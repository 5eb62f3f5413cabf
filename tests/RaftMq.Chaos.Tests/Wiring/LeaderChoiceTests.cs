using RaftMq.Chaos.Wiring;

namespace RaftMq.Chaos.Tests.Wiring;

public sealed class LeaderChoiceTests
{
    [Fact]
    public void The_writable_leader_with_the_highest_term_wins_over_a_deposed_one()
    {
        NodeRuntimeState[] states =
        [
            new("n0", "LEADER", 3, Writable: true, null),
            new("n1", "LEADER", 4, Writable: true, null),
            new("n2", "FOLLOWER", 4, Writable: false, null),
        ];

        Assert.Equal("n1", RuntimeInfoLeaderProbe.Leader(states));
    }

    [Fact]
    public void No_leader_while_the_elected_one_is_not_writable_yet_or_nobody_answers()
    {
        NodeRuntimeState[] states =
        [
            new("n0", "LEADER", 5, Writable: false, null),
            new("n1", null, 0, Writable: false, "RemotingTimeoutException"),
            new("n2", "CANDIDATE", 6, Writable: false, null),
        ];

        Assert.Null(RuntimeInfoLeaderProbe.Leader(states));
    }
}
