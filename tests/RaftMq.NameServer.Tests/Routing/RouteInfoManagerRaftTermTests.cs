namespace RaftMq.NameServer.Tests.Routing;

/// <summary>Master claims of Raft groups are fenced by term: a deposed leader that registers late (it was paused, or
/// its registration was in flight when it lost leadership) must not displace the current master.</summary>
public sealed class RouteInfoManagerRaftTermTests
{
    private const string Group = "RaftNode00";
    private const string OldLeader = "127.0.0.1:30911";
    private const string NewLeader = "127.0.0.1:30921";
    private readonly RouteTableFixture _table = new();

    private string? Master() =>
        _table.Routes.GetClusterInfo().BrokerAddrTable[Group].BrokerAddrs.GetValueOrDefault(0);

    [Fact]
    public void Master_claim_with_an_older_term_than_the_registered_master_is_refused_and_changes_nothing()
    {
        _table.Register(Group, 0, NewLeader, raftTerm: 5);

        var result = _table.Register(Group, 0, OldLeader, raftTerm: 4);

        Assert.True(result.StaleMasterClaim);
        Assert.Equal(NewLeader, Master());
        Assert.False(_table.Routes.GetClusterInfo().BrokerAddrTable[Group].BrokerAddrs.ContainsValue(OldLeader));
    }

    [Fact]
    public void Deposed_leader_registering_as_follower_afterwards_leaves_the_master_in_place()
    {
        _table.Register(Group, 0, NewLeader, raftTerm: 5);
        _table.Register(Group, 0, OldLeader, raftTerm: 4);

        _table.Register(Group, 1, OldLeader, raftTerm: 5);

        Assert.Equal(NewLeader, Master());
        Assert.Equal(OldLeader, _table.Routes.GetClusterInfo().BrokerAddrTable[Group].BrokerAddrs[1]);
    }

    [Fact]
    public void Master_claim_with_a_newer_term_replaces_the_master()
    {
        _table.Register(Group, 0, OldLeader, raftTerm: 4);

        var result = _table.Register(Group, 0, NewLeader, raftTerm: 5);

        Assert.False(result.StaleMasterClaim);
        Assert.Equal(NewLeader, Master());
    }

    [Fact]
    public void Older_term_claim_is_accepted_once_the_registered_master_is_gone()
    {
        _table.Register(Group, 0, NewLeader, raftTerm: 5, connectionId: 7);
        _table.Routes.OnConnectionClosed(7);

        var result = _table.Register(Group, 0, OldLeader, raftTerm: 1, connectionId: 8);

        Assert.False(result.StaleMasterClaim);
        Assert.Equal(OldLeader, Master());
    }

    [Fact]
    public void Registrations_without_a_term_are_never_fenced()
    {
        _table.Register(Group, 0, NewLeader, raftTerm: 5);

        var result = _table.Register(Group, 0, OldLeader);

        Assert.False(result.StaleMasterClaim);
        Assert.Equal(OldLeader, Master());
    }
}
