using RaftMq.Client.Producer;
using RaftMq.Client.Tests.Fakes;
using RaftMq.Protocol.Codes;

namespace RaftMq.Client.Tests.Producer;

public sealed class ProducerFailoverTests
{
    [Fact]
    public async Task Not_master_answer_refreshes_the_route_and_retries_on_another_broker()
    {
        await using var cluster = new FakeCluster("broker-a", "broker-b");
        cluster[0].CreateTopic("T", 2);
        cluster[1].CreateTopic("T", 2);
        cluster[0].NotMaster = true;
        var producer = await cluster.StartProducerAsync();

        for (int i = 0; i < 10; i++)
        {
            int routeLookups = cluster.NameServer.RouteRequests;
            int rejectedBefore = cluster[0].Count(RequestCode.SendMessageV2);

            var result = await producer.SendAsync(new Message("T", [(byte)i]));

            Assert.Equal("broker-b", result.Queue.BrokerName);
            if (cluster[0].Count(RequestCode.SendMessageV2) > rejectedBefore)
            {
                Assert.True(cluster.NameServer.RouteRequests > routeLookups, "a not-master answer triggers an immediate route lookup");
            }
        }
        Assert.True(cluster[0].Count(RequestCode.SendMessageV2) >= 1, "broker-a was tried at least once");
        Assert.Empty(cluster[0].Messages("T"));
        Assert.Equal(10, cluster[1].Messages("T").Count);
    }

    [Fact]
    public async Task Send_follows_a_leader_change_within_the_same_call()
    {
        await using var cluster = new FakeCluster("group-0");
        var oldLeader = cluster[0];
        oldLeader.CreateTopic("T", 2);
        var producer = await cluster.StartProducerAsync();
        await producer.SendAsync(new Message("T", [0]));

        // Failover: the old leader now answers "not master"; the new leader of the same group registers as id 0.
        var newLeader = cluster.Own(new FakeBroker(cluster.NameServer, "group-0"));
        newLeader.CreateTopic("T", 2);
        oldLeader.NotMaster = true;
        cluster.NameServer.RegisterBroker(FakeBroker.ClusterName, "group-0", 1, oldLeader.Address);

        var result = await producer.SendAsync(new Message("T", [1]));

        Assert.Equal(SendStatus.SendOk, result.Status);
        Assert.Single(newLeader.Messages("T"));
        Assert.Equal(2, oldLeader.Count(RequestCode.SendMessageV2));
    }

    [Fact]
    public async Task Refused_connection_is_retried_on_the_new_master_address()
    {
        await using var cluster = new FakeCluster("group-0");
        var newLeader = cluster[0];
        newLeader.CreateTopic("T", 1);
        // The route first names a master that is gone (nothing listens there), as right after a leader crash.
        cluster.NameServer.RegisterBroker(FakeBroker.ClusterName, "group-0", 0, DeadAddress());
        var producer = await cluster.StartProducerAsync();
        await producer.FetchPublishQueuesAsync("T");
        cluster.NameServer.RegisterBroker(FakeBroker.ClusterName, "group-0", 0, newLeader.Address);

        var result = await producer.SendAsync(new Message("T", [1]));

        Assert.Equal(SendStatus.SendOk, result.Status);
        Assert.Single(newLeader.Messages("T"));
    }

    private static string DeadAddress()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return $"127.0.0.1:{port}";
    }

    [Fact]
    public async Task A_failing_broker_is_avoided_for_later_sends()
    {
        await using var cluster = new FakeCluster("broker-a", "broker-b");
        cluster[0].CreateTopic("T", 4);
        cluster[1].CreateTopic("T", 4);
        var producer = await cluster.StartProducerAsync();
        await producer.SendAsync(new Message("T", [0]));
        cluster[0].SendFailureCode = ResponseCode.SystemBusy;

        for (int i = 0; i < 20; i++)
        {
            var result = await producer.SendAsync(new Message("T", [(byte)i]));
            Assert.Equal("broker-b", result.Queue.BrokerName);
        }

        int attemptsOnA = cluster[0].Count(RequestCode.SendMessageV2) - cluster[0].Messages("T").Count;
        Assert.Equal(1, attemptsOnA);
    }

    [Fact]
    public async Task A_send_without_answer_has_an_unknown_outcome_and_is_not_retried()
    {
        await using var cluster = new FakeCluster("broker-a", "broker-b");
        cluster[0].CreateTopic("T", 1);
        cluster[0].SendReplyDelay = TimeSpan.FromSeconds(5);
        var producer = await cluster.StartProducerAsync(cluster.ProducerOptions() with { SendTimeout = TimeSpan.FromMilliseconds(300) });

        var error = await Assert.ThrowsAsync<SendOutcomeUnknownException>(() => producer.SendAsync(new Message("T", [1])));

        Assert.Equal(cluster[0].Address, error.Address);
        Assert.Equal(1, cluster[0].Count(RequestCode.SendMessageV2));
        Assert.Single(cluster[0].Messages("T"));
    }

    [Theory]
    [InlineData(ResponseCode.NoPermission)]
    [InlineData(ResponseCode.MessageIllegal)]
    public async Task A_permanent_refusal_is_thrown_with_its_code_and_not_retried_even_where_another_broker_could_take_it(int code)
    {
        await using var cluster = new FakeCluster("broker-a", "broker-b");
        cluster[0].CreateTopic("T", 1);
        cluster[1].CreateTopic("T", 1);
        cluster[0].SendFailureCode = code;
        cluster[1].SendFailureCode = code;
        var producer = await cluster.StartProducerAsync(cluster.ProducerOptions() with { RetryTimesWhenSendFailed = 2 });

        var error = await Assert.ThrowsAsync<MQBrokerException>(() => producer.SendAsync(new Message("T", [1])));

        Assert.Equal(code, error.ResponseCode);
        Assert.Equal(1, cluster[0].Count(RequestCode.SendMessageV2) + cluster[1].Count(RequestCode.SendMessageV2));
    }

    [Fact]
    public async Task Retriable_errors_exhaust_the_retries_then_throw_the_broker_code()
    {
        await using var cluster = new FakeCluster("broker-a");
        cluster[0].CreateTopic("T", 1);
        cluster[0].NotMaster = true;
        var producer = await cluster.StartProducerAsync(cluster.ProducerOptions() with { RetryTimesWhenSendFailed = 2 });

        var error = await Assert.ThrowsAsync<MQBrokerException>(() => producer.SendAsync(new Message("T", [1])));

        Assert.Equal(ResponseCode.ServiceNotAvailable, error.ResponseCode);
        Assert.Contains("not master", error.Remark);
        Assert.Equal(3, cluster[0].Count(RequestCode.SendMessageV2));
    }
}
