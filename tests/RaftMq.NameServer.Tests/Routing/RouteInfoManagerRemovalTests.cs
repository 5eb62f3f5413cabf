using RaftMq.NameServer.Routing;
using static RaftMq.NameServer.Tests.Routing.RouteTableFixture;

namespace RaftMq.NameServer.Tests.Routing;

public sealed class RouteInfoManagerRemovalTests
{
    private readonly RouteTableFixture _table = new();

    [Fact]
    public void Unregistering_the_last_address_removes_the_broker_name_its_cluster_and_its_topics()
    {
        _table.Register("RaftNode00", 0, "10.0.0.1:30911", Topics(1, 4, "T"));

        var removed = _table.Routes.UnregisterBroker("10.0.0.1:30911");

        Assert.Equal(new RemovedBroker("C", "RaftNode00", "10.0.0.1:30911", BrokerRemovalReason.Unregistered, true), removed);
        Assert.Null(_table.Routes.GetRoute("T"));
        Assert.Empty(_table.Routes.GetTopicList().Topics);
        var info = _table.Routes.GetClusterInfo();
        Assert.Empty(info.BrokerAddrTable);
        Assert.Empty(info.ClusterAddrTable);
    }

    [Fact]
    public void Unregistering_the_master_keeps_the_route_with_the_followers()
    {
        _table.Register("RaftNode00", 0, "10.0.0.1:30911", Topics(1, 4, "T"));
        _table.Register("RaftNode00", 1, "10.0.0.2:30921");

        var removed = _table.Routes.UnregisterBroker("10.0.0.1:30911");

        Assert.False(removed!.BrokerNameRemoved);
        var broker = Assert.Single(_table.Routes.GetRoute("T")!.BrokerDatas);
        Assert.Equal(new Dictionary<long, string> { [1] = "10.0.0.2:30921" }, broker.BrokerAddrs);
    }

    [Fact]
    public void Unregistering_with_a_stale_broker_id_still_removes_the_address()
    {
        _table.Register("RaftNode00", 0, "10.0.0.1:30911", Topics(1, 4, "T"));
        _table.Register("RaftNode00", 1, "10.0.0.1:30911");

        _table.Routes.UnregisterBroker("10.0.0.1:30911");

        Assert.Empty(_table.Routes.GetClusterInfo().BrokerAddrTable);
    }

    [Fact]
    public void Unregistering_an_old_master_does_not_remove_the_new_master_at_id_0()
    {
        _table.Register("RaftNode00", 0, "10.0.0.1:30911", Topics(1, 4, "T"));
        _table.Register("RaftNode00", 0, "10.0.0.2:30921", Topics(1, 4, "T"));

        _table.Routes.UnregisterBroker("10.0.0.1:30911");

        Assert.Equal("10.0.0.2:30921", Assert.Single(_table.Routes.GetRoute("T")!.BrokerDatas).MasterAddress());
    }

    [Fact]
    public void Unregistering_an_unknown_address_changes_nothing()
    {
        _table.Register("RaftNode00", 0, "10.0.0.1:30911", Topics(1, 4, "T"));

        Assert.Null(_table.Routes.UnregisterBroker("10.0.0.9:30911"));
        Assert.NotNull(_table.Routes.GetRoute("T"));
    }

    [Fact]
    public void Broker_silent_for_longer_than_120_seconds_expires()
    {
        _table.Register("RaftNode00", 0, "10.0.0.1:30911", Topics(1, 4, "T"));

        _table.Clock.Advance(TimeSpan.FromSeconds(120));
        Assert.Empty(_table.Routes.RemoveExpiredBrokers());
        Assert.NotNull(_table.Routes.GetRoute("T"));

        _table.Clock.Advance(TimeSpan.FromSeconds(1));
        var expired = Assert.Single(_table.Routes.RemoveExpiredBrokers());

        Assert.Equal(("10.0.0.1:30911", BrokerRemovalReason.Expired, true), (expired.BrokerAddress, expired.Reason, expired.BrokerNameRemoved));
        Assert.Null(_table.Routes.GetRoute("T"));
        Assert.Equal(0, _table.Routes.LiveBrokerCount);
    }

    [Fact]
    public void Registering_every_30_seconds_keeps_a_broker_alive_indefinitely()
    {
        for (int round = 0; round < 20; round++)
        {
            _table.Register("RaftNode00", 0, "10.0.0.1:30911", Topics(1, 4, "T"));
            _table.Clock.Advance(TimeSpan.FromSeconds(30));
            Assert.Empty(_table.Routes.RemoveExpiredBrokers());
        }
        Assert.NotNull(_table.Routes.GetRoute("T"));
    }

    [Fact]
    public void Only_the_silent_member_of_a_group_expires()
    {
        _table.Register("RaftNode00", 0, "10.0.0.1:30911", Topics(1, 4, "T"));
        _table.Clock.Advance(TimeSpan.FromSeconds(100));
        _table.Register("RaftNode00", 1, "10.0.0.2:30921");
        _table.Clock.Advance(TimeSpan.FromSeconds(30));

        var expired = Assert.Single(_table.Routes.RemoveExpiredBrokers());

        Assert.Equal("10.0.0.1:30911", expired.BrokerAddress);
        Assert.False(expired.BrokerNameRemoved);
        var route = _table.Routes.GetRoute("T");
        Assert.NotNull(route);
        Assert.Null(route.BrokerDatas[0].MasterAddress());
    }

    [Fact]
    public void Closing_the_registration_connection_drops_the_broker_at_once()
    {
        _table.Register("RaftNode00", 0, "10.0.0.1:30911", Topics(1, 4, "T"), connectionId: 7);
        _table.Register("RaftNode01", 0, "10.0.1.1:30911", Topics(1, 4, "T"), connectionId: 8);

        var dropped = Assert.Single(_table.Routes.OnConnectionClosed(7));

        Assert.Equal(("RaftNode00", BrokerRemovalReason.ConnectionClosed), (dropped.BrokerName, dropped.Reason));
        Assert.Equal(["RaftNode01"], _table.Routes.GetRoute("T")!.BrokerDatas.Select(b => b.BrokerName));
    }

    [Fact]
    public void A_broker_that_re_registered_on_a_new_connection_survives_its_old_connection_closing()
    {
        _table.Register("RaftNode00", 0, "10.0.0.1:30911", Topics(1, 4, "T"), connectionId: 7);
        _table.Register("RaftNode00", 0, "10.0.0.1:30911", Topics(1, 4, "T"), connectionId: 9);

        Assert.Empty(_table.Routes.OnConnectionClosed(7));
        Assert.NotNull(_table.Routes.GetRoute("T"));
    }
}
