using RaftMq.Consensus.Core;

namespace RaftMq.Consensus.Tests.Core;

/// <summary>
/// Pacing of a far-behind follower: while proposals flow and the others make a quorum, it is sent a multiple of the
/// leader's append rate per tick; when the quorum needs it, or nothing is proposed, it gets everything at once.
/// </summary>
public sealed class CatchUpPacingTests
{
    private const int Multiplier = 2;
    private const long MinPerTick = 200;
    private const int LagEntries = 20;

    private static TestCluster Cluster(int multiplier = Multiplier) => new TestCluster(3, (_, options) => options with
    {
        CatchUpRateMultiplier = multiplier,
        MinCatchUpBytesPerTick = MinPerTick,
        CatchUpLagEntries = LagEntries,
        MaxAppendBytes = 100,
    }).Start();

    /// <summary>n1 leads; n3 is down while 300 entries are proposed over 60 ticks.</summary>
    private static TestCluster WithFollowerFarBehind(int multiplier = Multiplier)
    {
        var cluster = Cluster(multiplier);
        cluster.Elect("n1");
        cluster.TickAll(2);
        cluster.Crash("n3");
        for (int tick = 0; tick < 60; tick++)
        {
            for (int i = 0; i < 5; i++) cluster.Propose("n1", $"m{tick:D3}-{i}");
            cluster.TickAll(1);
        }
        return cluster;
    }

    private static long EntryBytesTo(IEnumerable<Message> messages, string to) =>
        messages.Where(m => m.Type == MessageType.Append && m.To == to).Sum(m => m.Entries.Sum(e => e.Size));

    /// <summary>Proposes five entries and ticks once per round; returns the entry bytes sent to n3 in each round.</summary>
    private static List<long> RunRounds(TestCluster cluster, int rounds)
    {
        var perRound = new List<long>();
        for (int round = 0; round < rounds; round++)
        {
            int before = cluster.Sent.Count;
            for (int i = 0; i < 5; i++) cluster.Propose("n1", $"r{round:D3}-{i}");
            cluster.TickAll(1);
            perRound.Add(EntryBytesTo(cluster.Sent.Skip(before), "n3"));
        }
        return perRound;
    }

    [Fact]
    public void A_far_behind_follower_is_sent_a_multiple_of_the_produce_rate_and_still_catches_up()
    {
        var cluster = WithFollowerFarBehind();
        long entryBytes = cluster["n1"].Log.Entries(100, 100, long.MaxValue)[0].Size;
        cluster.Restart("n3");

        var perRound = RunRounds(cluster, 80);

        // Five entries a tick, so the refill is max(MinPerTick, 2 x 5 entries); at most two ticks' worth plus the
        // one Append that crosses the budget goes out in a tick.
        long refill = Math.Max(MinPerTick, Multiplier * 5 * entryBytes);
        long bound = 2 * refill + Math.Max(100, entryBytes);
        Assert.All(perRound.Take(20), bytes => Assert.True(bytes <= bound, $"{bytes} bytes in one tick, bound {bound}"));
        cluster.TickAll(2); // the last round's entries
        Assert.Equal(cluster["n1"].Log.LastIndex, cluster["n3"].Log.LastIndex);
        Assert.Equal(cluster["n1"].Core!.CommitIndex, cluster["n3"].Core!.CommitIndex);
    }

    [Fact]
    public void Without_pacing_the_backlog_goes_out_at_once()
    {
        var cluster = WithFollowerFarBehind(multiplier: 0);
        cluster.Restart("n3");

        var perRound = RunRounds(cluster, 3);

        long backlog = 300 * cluster["n1"].Log.Entries(100, 100, long.MaxValue)[0].Size;
        Assert.True(perRound.Max() > backlog / 2, $"at most {perRound.Max()} bytes a tick; backlog about {backlog}");
    }

    [Fact]
    public void A_follower_the_quorum_needs_is_not_paced()
    {
        var cluster = WithFollowerFarBehind();
        long committedBefore = cluster["n1"].Core!.CommitIndex;
        cluster.Crash("n2"); // n1 alone cannot commit: n3 is needed
        cluster.Restart("n3");

        cluster.TickAll(3);

        Assert.Equal(cluster["n1"].Log.LastIndex, cluster["n3"].Log.LastIndex);
        Assert.True(cluster["n1"].Core!.CommitIndex >= committedBefore);
        Assert.Equal(cluster["n1"].Log.LastIndex, cluster["n1"].Core!.CommitIndex);
    }

    [Fact]
    public void An_idle_group_catches_a_follower_up_at_once()
    {
        var cluster = WithFollowerFarBehind();
        cluster.TickAll(40); // nothing proposed: the leader's append rate decays to zero
        cluster.Restart("n3");

        cluster.TickAll(3);

        Assert.Equal(cluster["n1"].Log.LastIndex, cluster["n3"].Log.LastIndex);
    }
}
