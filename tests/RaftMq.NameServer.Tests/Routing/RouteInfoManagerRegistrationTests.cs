using RaftMq.Protocol.Codes;
using static RaftMq.NameServer.Tests.Routing.RouteTableFixture;

namespace RaftMq.NameServer.Tests.Routing;

public sealed class RouteInfoManagerRegistrationTests
{
    private readonly RouteTableFixture _table = new();

    [Fact]
    public void Master_registration_publishes_the_topics_queue_data_and_broker_addresses()
    {
        _table.Register("RaftNode00", 0, "10.0.0.1:30911", Topics(1, 4, "T"));

        var route = _table.Routes.GetRoute("T");

        Assert.NotNull(route);
        var queue = Assert.Single(route.QueueDatas);
        Assert.Equal(("RaftNode00", 4, 4, PermName.ReadWrite, 0), (queue.BrokerName, queue.ReadQueueNums, queue.WriteQueueNums, queue.Perm, queue.TopicSysFlag));
        var broker = Assert.Single(route.BrokerDatas);
        Assert.Equal(("C", "RaftNode00"), (broker.Cluster, broker.BrokerName));
        Assert.Equal(new Dictionary<long, string> { [0] = "10.0.0.1:30911" }, broker.BrokerAddrs);
    }

    [Fact]
    public void Follower_registration_adds_its_address_but_never_queue_data()
    {
        _table.Register("RaftNode00", 1, "10.0.0.2:30921", Topics(1, 4, "OnlyOnFollower"));

        Assert.Null(_table.Routes.GetRoute("OnlyOnFollower"));
        Assert.Equal("10.0.0.2:30921", _table.Routes.GetClusterInfo().BrokerAddrTable["RaftNode00"].BrokerAddrs[1]);
    }

    [Fact]
    public void Follower_queue_counts_do_not_override_the_masters()
    {
        _table.Register("RaftNode00", 0, "10.0.0.1:30911", Topics(1, 4, "T"));
        _table.Register("RaftNode00", 1, "10.0.0.2:30921", Topics(7, 16, "T"));

        Assert.Equal(4, Assert.Single(_table.Routes.GetRoute("T")!.QueueDatas).WriteQueueNums);
    }

    [Fact]
    public void Master_with_a_new_data_version_updates_queue_data()
    {
        _table.Register("RaftNode00", 0, "10.0.0.1:30911", Topics(1, 4, "T"));
        _table.Register("RaftNode00", 0, "10.0.0.1:30911", Topics(2, 8, "T", "U"));

        Assert.Equal(8, Assert.Single(_table.Routes.GetRoute("T")!.QueueDatas).WriteQueueNums);
        Assert.NotNull(_table.Routes.GetRoute("U"));
    }

    [Fact]
    public void Master_re_registering_the_same_data_version_does_not_reapply_its_topics()
    {
        _table.Register("RaftNode00", 0, "10.0.0.1:30911", Topics(1, 4, "T"));
        _table.Register("RaftNode00", 0, "10.0.0.1:30911", Topics(1, 8, "T", "U"));

        Assert.Equal(4, Assert.Single(_table.Routes.GetRoute("T")!.QueueDatas).WriteQueueNums);
        Assert.Null(_table.Routes.GetRoute("U"));
    }

    [Fact]
    public void A_topic_missing_from_a_later_master_table_keeps_its_route()
    {
        _table.Register("RaftNode00", 0, "10.0.0.1:30911", Topics(1, 4, "T", "U"));
        _table.Register("RaftNode00", 0, "10.0.0.1:30911", Topics(2, 4, "T"));

        Assert.NotNull(_table.Routes.GetRoute("U"));
    }

    [Fact]
    public void Follower_learns_the_current_master_and_its_ha_address()
    {
        var beforeMaster = _table.Register("RaftNode00", 2, "10.0.0.3:30931");
        _table.Register("RaftNode00", 0, "10.0.0.1:30911", Topics(1, 4, "T"));
        var afterMaster = _table.Register("RaftNode00", 2, "10.0.0.3:30931");
        var master = _table.Register("RaftNode00", 0, "10.0.0.1:30911", Topics(1, 4, "T"));

        Assert.Null(beforeMaster.MasterAddress);
        Assert.Equal(("10.0.0.1:30911", HaAddress("10.0.0.1:30911")), (afterMaster.MasterAddress, afterMaster.MasterHaServerAddress));
        Assert.Null(master.MasterAddress);
    }

    [Fact]
    public void Promoted_follower_flips_from_id_1_to_0_and_its_old_id_disappears_at_once()
    {
        _table.Register("RaftNode00", 0, "10.0.0.1:30911", Topics(1, 4, "T"));
        _table.Register("RaftNode00", 1, "10.0.0.2:30921", Topics(1, 4, "T"));

        // The old leader died; n1 wins the election and registers as master before anyone expired.
        var promoted = _table.Register("RaftNode00", 0, "10.0.0.2:30921", Topics(1, 4, "T"));

        Assert.True(promoted.IsNew);
        var addresses = Assert.Single(_table.Routes.GetRoute("T")!.BrokerDatas).BrokerAddrs;
        Assert.Equal(new Dictionary<long, string> { [0] = "10.0.0.2:30921" }, addresses);
    }

    [Fact]
    public void Demoted_master_registering_as_follower_leaves_the_group_without_master()
    {
        _table.Register("RaftNode00", 0, "10.0.0.1:30911", Topics(1, 4, "T"));
        _table.Register("RaftNode00", 1, "10.0.0.1:30911", Topics(1, 4, "T"));

        var route = _table.Routes.GetRoute("T");

        Assert.NotNull(route);
        var broker = Assert.Single(route.BrokerDatas);
        Assert.Null(broker.MasterAddress());
        Assert.Equal("10.0.0.1:30911", broker.BrokerAddrs[1]);
    }

    [Fact]
    public void Periodic_re_registration_is_not_reported_as_new()
    {
        var first = _table.Register("RaftNode00", 1, "10.0.0.2:30921");
        var again = _table.Register("RaftNode00", 1, "10.0.0.2:30921");

        Assert.True(first.IsNew);
        Assert.False(again.IsNew);
    }

    [Fact]
    public void An_address_re_registered_under_another_broker_name_leaves_its_old_group()
    {
        _table.Register("RaftNode00", 0, "10.0.0.1:30911", Topics(1, 4, "T"));
        _table.Register("RaftNode01", 0, "10.0.0.1:30911", Topics(1, 4, "U"));

        var info = _table.Routes.GetClusterInfo();

        Assert.Equal(["RaftNode01"], info.BrokerAddrTable.Keys);
        Assert.Null(_table.Routes.GetRoute("T"));
        Assert.NotNull(_table.Routes.GetRoute("U"));
    }

    [Fact]
    public void Unknown_topic_has_no_route()
    {
        _table.Register("RaftNode00", 0, "10.0.0.1:30911", Topics(1, 4, "T"));

        Assert.Null(_table.Routes.GetRoute("Missing"));
    }

    [Fact]
    public void Routes_are_ordered_by_broker_name_and_list_each_group_once()
    {
        _table.Register("RaftNode01", 0, "10.0.1.1:30911", Topics(1, 2, "T"));
        _table.Register("RaftNode00", 0, "10.0.0.1:30911", Topics(1, 4, "T"));
        _table.Register("RaftNode00", 1, "10.0.0.2:30921");

        var route = _table.Routes.GetRoute("T")!;

        Assert.Equal(["RaftNode00", "RaftNode01"], route.QueueDatas.Select(q => q.BrokerName));
        Assert.Equal(["RaftNode00", "RaftNode01"], route.BrokerDatas.Select(b => b.BrokerName));
        Assert.Equal([0L, 1L], route.BrokerDatas[0].BrokerAddrs.Keys);
    }

    [Fact]
    public void A_returned_route_is_a_copy_the_table_does_not_share()
    {
        _table.Register("RaftNode00", 0, "10.0.0.1:30911", Topics(1, 4, "T"));
        var route = _table.Routes.GetRoute("T")!;

        route.BrokerDatas[0].BrokerAddrs[0] = "evil:1";
        route.QueueDatas[0].WriteQueueNums = 99;

        var fresh = _table.Routes.GetRoute("T")!;
        Assert.Equal("10.0.0.1:30911", fresh.BrokerDatas[0].BrokerAddrs[0]);
        Assert.Equal(4, fresh.QueueDatas[0].WriteQueueNums);
    }
}
