namespace RaftMq.NameServer.Tests.Routing;

/// <summary>
/// A leadership gap: the master steps down (re-registers under its slave id) before a new master registers. Topic
/// routes keep naming the stepped-down master at id 0 for the grace period, so unmodified clients keep sending to a
/// live node of the group (which forwards to the new leader) instead of finding no master.
/// </summary>
public sealed class RouteInfoManagerMasterGapTests
{
    private const string Group = "RaftNode00";
    private const string Topic = "T";
    private const string N0 = "127.0.0.1:30911";
    private const string N1 = "127.0.0.1:30921";
    private const string N2 = "127.0.0.1:30931";
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(10);
    private readonly RouteTableFixture _table = new(Grace);

    public RouteInfoManagerMasterGapTests()
    {
        _table.Register(Group, 0, N0, RouteTableFixture.Topics(1, 4, Topic), raftTerm: 3);
        _table.Register(Group, 2, N1, raftTerm: 3);
        _table.Register(Group, 3, N2, raftTerm: 3);
    }

    private SortedDictionary<long, string> RouteAddresses() => _table.Routes.GetRoute(Topic)!.BrokerDatas.Single().BrokerAddrs;

    [Fact]
    public void Route_keeps_the_stepped_down_master_at_id_0_until_a_new_master_registers()
    {
        _table.Register(Group, 1, N0, raftTerm: 4);
        _table.Clock.Advance(TimeSpan.FromSeconds(9));

        Assert.Equal(N0, RouteAddresses()[0]);
        Assert.Equal(N0, RouteAddresses()[1]);
        Assert.False(_table.Routes.GetClusterInfo().BrokerAddrTable[Group].BrokerAddrs.ContainsKey(0)); // cluster info shows the truth

        _table.Register(Group, 0, N1, raftTerm: 4);

        Assert.Equal(N1, RouteAddresses()[0]);
        Assert.Equal(N0, RouteAddresses()[1]);
    }

    [Fact]
    public void Route_drops_the_stepped_down_master_from_id_0_when_the_grace_ends()
    {
        _table.Register(Group, 1, N0, raftTerm: 4);
        _table.Clock.Advance(Grace);

        Assert.False(RouteAddresses().ContainsKey(0));
        Assert.Equal(N0, RouteAddresses()[1]);
    }

    [Fact]
    public void A_stepped_down_master_that_leaves_the_group_is_not_kept()
    {
        _table.Register(Group, 1, N0, raftTerm: 4);
        _table.Routes.UnregisterBroker(N0);

        Assert.False(RouteAddresses().ContainsKey(0));
        Assert.False(RouteAddresses().ContainsValue(N0));
    }

    [Fact]
    public void A_master_that_expires_without_stepping_down_leaves_no_master_behind()
    {
        _table.Clock.Advance(RouteTableFixture.Expiry + TimeSpan.FromSeconds(1));
        _table.Register(Group, 2, N1, raftTerm: 3);
        _table.Register(Group, 3, N2, raftTerm: 3);
        _table.Routes.RemoveExpiredBrokers();

        Assert.False(RouteAddresses().ContainsKey(0));
    }

    [Fact]
    public void With_no_grace_the_route_shows_the_gap_at_once()
    {
        var table = new RouteTableFixture();
        table.Register(Group, 0, N0, RouteTableFixture.Topics(1, 4, Topic), raftTerm: 3);
        table.Register(Group, 1, N0, raftTerm: 4);

        Assert.False(table.Routes.GetRoute(Topic)!.BrokerDatas.Single().BrokerAddrs.ContainsKey(0));
    }
}
