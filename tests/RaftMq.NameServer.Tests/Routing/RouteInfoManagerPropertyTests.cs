using FsCheck;
using FsCheck.Fluent;
using RaftMq.NameServer.Routing;
using static RaftMq.NameServer.Tests.Routing.RouteTableFixture;

namespace RaftMq.NameServer.Tests.Routing;

/// <summary>Random sequences of registrations, unregistrations, closed connections and expiry keep the table
/// self-consistent, as clients observe it through routes, cluster info and the topic list.</summary>
public sealed class RouteInfoManagerPropertyTests
{
    private static readonly string[] BrokerNames = ["RaftNode00", "RaftNode01"];
    private static readonly string[] Addresses = ["10.0.0.1:1", "10.0.0.2:1", "10.0.0.3:1", "10.0.0.4:1"];
    private static readonly string[] TopicNames = ["T0", "T1", "T2"];

    private abstract record Op;

    private sealed record RegisterOp(int Name, int Address, long Id, int TopicMask, long Counter, long Connection) : Op;

    private sealed record UnregisterOp(int Address) : Op;

    private sealed record CloseOp(long Connection) : Op;

    private sealed record ExpireOp(int Seconds) : Op;

    private static readonly Gen<Op> AnyOp = Gen.Frequency(
        (6, from name in Gen.Choose(0, 1)
            from address in Gen.Choose(0, 3)
            from id in Gen.Choose(0, 2)
            from mask in Gen.Choose(0, 7)
            from counter in Gen.Choose(0, 3)
            from connection in Gen.Choose(0, 2)
            select (Op)new RegisterOp(name, address, id, mask, counter, connection)),
        (1, Gen.Choose(0, 3).Select(address => (Op)new UnregisterOp(address))),
        (1, Gen.Choose(0, 2).Select(connection => (Op)new CloseOp(connection))),
        (1, Gen.Choose(0, 150).Select(seconds => (Op)new ExpireOp(seconds))));

    [Fact]
    public void Table_stays_consistent_under_any_sequence_of_operations()
    {
        var config = Config.QuickThrowOnFailure.WithMaxTest(300);
        Check.One(config, Prop.ForAll(Gen.ListOf(AnyOp).ToArbitrary(), ops =>
        {
            var table = new RouteTableFixture();
            foreach (var op in ops)
            {
                Apply(table, op);
                AssertConsistent(table.Routes);
            }
        }));
    }

    private static void Apply(RouteTableFixture table, Op op)
    {
        switch (op)
        {
            case RegisterOp r:
                var topics = TopicNames.Where((_, i) => (r.TopicMask & (1 << i)) != 0).ToArray();
                table.Register(BrokerNames[r.Name], r.Id, Addresses[r.Address], Topics(r.Counter, 4, topics), r.Connection);
                break;
            case UnregisterOp u:
                table.Routes.UnregisterBroker(Addresses[u.Address]);
                break;
            case CloseOp c:
                table.Routes.OnConnectionClosed(c.Connection);
                break;
            case ExpireOp e:
                table.Clock.Advance(TimeSpan.FromSeconds(e.Seconds));
                table.Routes.RemoveExpiredBrokers();
                break;
        }
    }

    private static void AssertConsistent(RouteInfoManager routes)
    {
        var info = routes.GetClusterInfo();
        var seenAddresses = new HashSet<string>();
        foreach (var (name, broker) in info.BrokerAddrTable)
        {
            Assert.NotEmpty(broker.BrokerAddrs);
            Assert.Contains(name, info.ClusterAddrTable[broker.Cluster]);
            // One id per address, one group per address.
            foreach (string address in broker.BrokerAddrs.Values) Assert.True(seenAddresses.Add(address), $"{address} listed twice");
        }
        Assert.Equal(info.BrokerAddrTable.Keys.Order(), info.ClusterAddrTable.Values.SelectMany(names => names).Order());
        Assert.True(routes.LiveBrokerCount >= seenAddresses.Count);

        foreach (string topic in routes.GetTopicList().Topics)
        {
            var route = routes.GetRoute(topic);
            Assert.NotNull(route);
            Assert.NotEmpty(route.QueueDatas);
            Assert.Equal(route.QueueDatas.Select(q => q.BrokerName), route.BrokerDatas.Select(b => b.BrokerName));
        }
        foreach (string topic in TopicNames.Except(routes.GetTopicList().Topics)) Assert.Null(routes.GetRoute(topic));
    }
}
