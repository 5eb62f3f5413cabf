using RaftMq.Client.Admin;
using RaftMq.Client.Tests.Fakes;
using RaftMq.Protocol.Codes;

namespace RaftMq.Client.Tests.Admin;

public sealed class AdminClientTests
{
    private static async Task<MQAdminClient> StartAsync(FakeCluster cluster, AdminOptions? options = null)
    {
        var admin = cluster.Own(new MQAdminClient(options ?? cluster.AdminOptions()));
        await admin.StartAsync();
        return admin;
    }

    [Fact]
    public async Task Topic_is_created_on_every_master_of_the_cluster_and_listed()
    {
        await using var cluster = new FakeCluster("broker-a", "broker-b");
        var admin = await StartAsync(cluster);

        var brokers = await admin.CreateOrUpdateTopicAsync(FakeBroker.ClusterName, new TopicSettings { Topic = "Orders", ReadQueueNums = 3, WriteQueueNums = 3 });

        Assert.Equal(["broker-a", "broker-b"], brokers);
        Assert.True(cluster[0].HasTopic("Orders") && cluster[1].HasTopic("Orders"));
        Assert.Contains("Orders", await admin.GetTopicListAsync());
        var status = await admin.GetTopicStatusAsync("Orders");
        Assert.Equal(6, status.Count);
    }

    [Fact]
    public async Task Topic_status_and_consumer_progress_report_offsets_per_queue()
    {
        await using var cluster = new FakeCluster("broker-a");
        cluster[0].CreateTopic("T", 2);
        var producer = await cluster.StartProducerAsync();
        for (int i = 0; i < 6; i++) await producer.SendAsync(new Message("T", [(byte)i]), new Protocol.Bodies.MessageQueue { Topic = "T", BrokerName = "broker-a", QueueId = i % 2 });
        var admin = await StartAsync(cluster);
        var pull = cluster.Own(new global::RaftMq.Client.Consumer.PullConsumer(cluster.PullConsumerOptions("G")));
        await pull.StartAsync();
        await pull.UpdateConsumeOffsetAsync(new Protocol.Bodies.MessageQueue { Topic = "T", BrokerName = "broker-a", QueueId = 0 }, 2);

        var status = await admin.GetTopicStatusAsync("T");
        var progress = await admin.GetConsumerProgressAsync("G", "T");

        Assert.All(status, s => Assert.Equal((0L, 3L), (s.MinOffset, s.MaxOffset)));
        Assert.Equal([(3L, 2L), (3L, -1L)], progress.Queues.Select(q => (q.BrokerOffset, q.ConsumerOffset)));
        Assert.Equal(1 + 3, progress.TotalLag);
    }

    [Fact]
    public async Task Cluster_info_lists_every_node_with_its_runtime_info()
    {
        await using var cluster = new FakeCluster("broker-a", "broker-b");
        var admin = await StartAsync(cluster);

        var nodes = await admin.GetClusterInfoAsync();

        Assert.Equal(["broker-a", "broker-b"], nodes.Select(n => n.BrokerName));
        Assert.All(nodes, n => Assert.Equal(0, n.BrokerId));
        Assert.Equal(cluster[0].Address, nodes[0].Address);
        Assert.Equal("broker-a", nodes[0].RuntimeInfo!["brokerName"]);
    }

    [Fact]
    public async Task Cluster_info_marks_an_unreachable_node_instead_of_failing()
    {
        await using var cluster = new FakeCluster("broker-a");
        cluster.NameServer.RegisterBroker(FakeBroker.ClusterName, "broker-a", 1, "127.0.0.1:1");
        var admin = await StartAsync(cluster);

        var nodes = await admin.GetClusterInfoAsync();

        var follower = Assert.Single(nodes, n => n.BrokerId == 1);
        Assert.Null(follower.RuntimeInfo);
        Assert.NotNull(follower.Error);
    }

    [Fact]
    public async Task Deleted_topic_disappears_from_brokers_and_name_server()
    {
        await using var cluster = new FakeCluster("broker-a");
        cluster[0].CreateTopic("Old", 2);
        var admin = await StartAsync(cluster);

        await admin.DeleteTopicAsync(FakeBroker.ClusterName, "Old");

        Assert.False(cluster[0].HasTopic("Old"));
        Assert.False(cluster.NameServer.HasTopic("Old"));
        var error = await Assert.ThrowsAsync<MQClientException>(() => admin.GetTopicStatusAsync("Old"));
        Assert.Equal(ResponseCode.TopicNotExist, error.ResponseCode);
    }

    [Fact]
    public async Task Leadership_transfer_goes_to_the_master_with_the_configured_code()
    {
        await using var cluster = new FakeCluster("broker-a");
        var admin = await StartAsync(cluster);

        await admin.TransferLeadershipAsync("broker-a", "n2");

        var request = cluster[0].LastLeadershipTransfer!;
        Assert.Equal(AdminRequestCodes.TransferLeadership, request.Code);
        Assert.Equal("n2", request.ExtFields["targetId"]);
    }

    [Fact]
    public async Task Unknown_cluster_is_reported_by_name()
    {
        await using var cluster = new FakeCluster("broker-a");
        var admin = await StartAsync(cluster);

        var error = await Assert.ThrowsAsync<MQClientException>(() => admin.CreateOrUpdateTopicAsync("Nope", new TopicSettings { Topic = "X" }));

        Assert.Contains("Nope", error.Message);
    }
}
