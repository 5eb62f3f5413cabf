namespace RaftMq.NameServer.Tests.Routing;

/// <summary>
/// Master claims of Raft groups are checked against the group's members: a deposed leader that registers late must
/// not displace the current master, and neither may a forger claiming any term; a real new leader takes over as
/// soon as another member reports its term.
/// </summary>
public sealed class RouteInfoManagerRaftTermTests
{
    private const string Group = "RaftNode00";
    private const string OldLeader = "127.0.0.1:30911";
    private const string NewLeader = "127.0.0.1:30921";
    private const string Follower = "127.0.0.1:30931";
    private const string Forger = "10.9.9.9:10911";
    private readonly RouteTableFixture _table = new();

    private string? Master() =>
        _table.Routes.GetClusterInfo().BrokerAddrTable[Group].BrokerAddrs.GetValueOrDefault(0);

    [Fact]
    public void Master_claim_with_an_older_term_than_the_confirmed_master_is_refused_and_changes_nothing()
    {
        _table.Register(Group, 0, NewLeader, raftTerm: 5);
        _table.Register(Group, 2, Follower, raftTerm: 5);

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
    public void Master_claim_with_a_newer_term_confirmed_by_a_member_replaces_the_master()
    {
        _table.Register(Group, 0, OldLeader, raftTerm: 4);
        _table.Register(Group, 2, Follower, raftTerm: 5);

        var result = _table.Register(Group, 0, NewLeader, raftTerm: 5);

        Assert.False(result.StaleMasterClaim || result.UnconfirmedMasterClaim);
        Assert.Equal(NewLeader, Master());
    }

    [Fact]
    public void Unconfirmed_claim_of_a_real_new_leader_takes_effect_once_a_member_reports_its_term()
    {
        _table.Register(Group, 0, OldLeader, raftTerm: 4);
        _table.Register(Group, 2, Follower, raftTerm: 4);

        var early = _table.Register(Group, 0, NewLeader, raftTerm: 5);
        Assert.True(early.UnconfirmedMasterClaim);
        Assert.Equal(OldLeader, Master());

        _table.Register(Group, 2, Follower, raftTerm: 5);

        Assert.Equal(NewLeader, Master());
    }

    [Fact]
    public void Forged_master_claim_with_a_huge_term_cannot_displace_a_live_leader()
    {
        _table.Register(Group, 0, NewLeader, raftTerm: 5, connectionId: 1);
        _table.Register(Group, 1, OldLeader, raftTerm: 5, connectionId: 2);
        _table.Register(Group, 2, Follower, raftTerm: 5, connectionId: 3);

        var forged = _table.Register(Group, 0, Forger, raftTerm: long.MaxValue / 2, connectionId: 99);

        Assert.True(forged.UnconfirmedMasterClaim);
        Assert.Equal(NewLeader, Master());
        // The real leader keeps re-registering without being called stale.
        var again = _table.Register(Group, 0, NewLeader, raftTerm: 5, connectionId: 1);
        Assert.False(again.StaleMasterClaim || again.UnconfirmedMasterClaim);
        Assert.Equal(NewLeader, Master());
    }

    [Fact]
    public void Forged_master_claim_without_a_term_cannot_displace_a_raft_leader()
    {
        _table.Register(Group, 0, NewLeader, raftTerm: 5);
        _table.Register(Group, 2, Follower, raftTerm: 5);

        var result = _table.Register(Group, 0, Forger);

        Assert.True(result.UnconfirmedMasterClaim || result.StaleMasterClaim);
        Assert.Equal(NewLeader, Master());
    }

    [Fact]
    public void A_forger_that_got_in_while_the_group_had_no_master_is_replaced_by_the_confirmed_leader()
    {
        _table.Register(Group, 0, Forger, raftTerm: 1_000_000, connectionId: 99);
        _table.Register(Group, 2, Follower, raftTerm: 5);

        var result = _table.Register(Group, 0, NewLeader, raftTerm: 5);

        Assert.False(result.StaleMasterClaim || result.UnconfirmedMasterClaim);
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
    public void Registrations_of_brokers_without_terms_keep_rocketmqs_latest_wins_rule()
    {
        _table.Register(Group, 0, NewLeader);

        var result = _table.Register(Group, 0, OldLeader);

        Assert.False(result.StaleMasterClaim || result.UnconfirmedMasterClaim);
        Assert.Equal(OldLeader, Master());
    }
}
