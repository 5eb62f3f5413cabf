using RaftMq.Protocol.Bodies;
using static RaftMq.NameServer.Tests.Routing.RouteTableFixture;

namespace RaftMq.NameServer.Tests.Routing;

public sealed class RouteInfoManagerQueryTests
{
    private readonly RouteTableFixture _table = new();

    [Fact]
    public void Cluster_info_lists_every_group_with_its_addresses_and_every_cluster_with_its_groups()
    {
        _table.Register("RaftNode00", 0, "10.0.0.1:30911", Topics(1, 4, "T"));
        _table.Register("RaftNode00", 1, "10.0.0.2:30921");
        _table.Register("RaftNode01", 2, "10.0.1.3:30931");
        _table.Register("Other00", 0, "10.0.9.1:30911", cluster: "D");

        var info = _table.Routes.GetClusterInfo();

        Assert.Equal(["RaftNode00", "RaftNode01"], info.ClusterAddrTable["C"]);
        Assert.Equal(["Other00"], info.ClusterAddrTable["D"]);
        Assert.Equal(new Dictionary<long, string> { [0] = "10.0.0.1:30911", [1] = "10.0.0.2:30921" }, info.BrokerAddrTable["RaftNode00"].BrokerAddrs);
        Assert.Equal("C", info.BrokerAddrTable["RaftNode01"].Cluster);
        Assert.Equal("D", info.BrokerAddrTable["Other00"].Cluster);
    }

    [Fact]
    public void Topic_list_is_sorted_and_forgets_topics_whose_only_broker_left()
    {
        _table.Register("RaftNode00", 0, "10.0.0.1:30911", Topics(1, 4, "b", "a"));
        _table.Register("RaftNode01", 0, "10.0.1.1:30911", Topics(1, 4, "c", "a"));

        Assert.Equal(["a", "b", "c"], _table.Routes.GetTopicList().Topics);

        _table.Routes.UnregisterBroker("10.0.1.1:30911");

        Assert.Equal(["a", "b"], _table.Routes.GetTopicList().Topics);
    }

    [Fact]
    public void Data_version_is_changed_for_an_unknown_broker()
    {
        var result = _table.Routes.QueryDataVersion("10.0.0.1:30911", new DataVersion { Counter = 1, Timestamp = 1000 });

        Assert.True(result.Changed);
        Assert.Null(result.Stored);
    }

    [Fact]
    public void Data_version_is_unchanged_when_equal_and_changed_when_counter_or_timestamp_differs()
    {
        _table.Register("RaftNode00", 0, "10.0.0.1:30911", Topics(5, 4, "T"));

        var same = _table.Routes.QueryDataVersion("10.0.0.1:30911", new DataVersion { Counter = 5, Timestamp = 1000 });
        var newerCounter = _table.Routes.QueryDataVersion("10.0.0.1:30911", new DataVersion { Counter = 6, Timestamp = 1000 });
        var restarted = _table.Routes.QueryDataVersion("10.0.0.1:30911", new DataVersion { Counter = 5, Timestamp = 2000 });

        Assert.False(same.Changed);
        Assert.True(newerCounter.Changed);
        Assert.True(restarted.Changed);
        Assert.Equal(new DataVersion { Counter = 5, Timestamp = 1000 }, same.Stored);
    }

    [Fact]
    public void Unchanged_data_version_query_counts_as_a_sign_of_life()
    {
        _table.Register("RaftNode00", 0, "10.0.0.1:30911", Topics(5, 4, "T"));
        _table.Clock.Advance(TimeSpan.FromSeconds(100));
        _table.Routes.QueryDataVersion("10.0.0.1:30911", new DataVersion { Counter = 5, Timestamp = 1000 });
        _table.Clock.Advance(TimeSpan.FromSeconds(100));

        Assert.Empty(_table.Routes.RemoveExpiredBrokers());
    }

    [Fact]
    public void Changed_data_version_query_does_not_postpone_expiry()
    {
        _table.Register("RaftNode00", 0, "10.0.0.1:30911", Topics(5, 4, "T"));
        _table.Clock.Advance(TimeSpan.FromSeconds(100));
        _table.Routes.QueryDataVersion("10.0.0.1:30911", new DataVersion { Counter = 6, Timestamp = 1000 });
        _table.Clock.Advance(TimeSpan.FromSeconds(100));

        Assert.Single(_table.Routes.RemoveExpiredBrokers());
    }
}
