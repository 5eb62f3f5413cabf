using RaftMq.Chaos.Wiring;
using RaftMq.Protocol.Bodies;

namespace RaftMq.Chaos.Tests.Wiring;

public sealed class ClientSettingsTests
{
    private static readonly ChaosClientOptions Options = new() { NameServerAddress = "127.0.0.1:9876" };

    [Fact]
    public void The_producer_never_retries_by_itself_so_every_history_line_is_one_attempt()
    {
        var producer = RaftMqQueueClient.ProducerOptions(Options);

        Assert.Equal(0, producer.RetryTimesWhenSendFailed);
        Assert.Null(producer.CreateTopicKey);
        Assert.Equal(["127.0.0.1:9876"], producer.NameServerAddresses);
        Assert.True(producer.RouteRefreshInterval <= TimeSpan.FromSeconds(1));
        producer.Validate();
    }

    [Fact]
    public void Each_consumer_id_is_its_own_member_of_one_clustering_group_reading_from_the_start()
    {
        var c0 = RaftMqQueueClient.ConsumerOptions(Options, "c0");
        var c1 = RaftMqQueueClient.ConsumerOptions(Options, "c1");

        Assert.NotEqual(c0.InstanceName, c1.InstanceName);
        Assert.Equal(c0.ConsumerGroup, c1.ConsumerGroup);
        Assert.Equal(MessageModel.Clustering, c0.MessageModel);
        Assert.Equal(ConsumeFromWhere.ConsumeFromFirstOffset, c0.ConsumeFromWhere);
        c0.Validate();
    }
}
