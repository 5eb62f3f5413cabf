using RaftMq.Broker.Processors;
using RaftMq.Protocol.Codes;

namespace RaftMq.Broker.Tests.Processors;

public sealed class SystemTopicProvisionerTests
{
    [Fact]
    public void The_group_and_cluster_topics_follow_rocketmqs_queues_and_switches()
    {
        var on = SystemTopicProvisioner.RocketMqDefaults("ClusterA", "broker-a", clusterTopicEnable: true, brokerTopicEnable: true, traceTopic: null);
        var off = SystemTopicProvisioner.RocketMqDefaults("ClusterA", "broker-a", clusterTopicEnable: false, brokerTopicEnable: false, traceTopic: "RMQ_SYS_TRACE_TOPIC");

        Assert.Equal(["broker-a", "ClusterA"], on.Select(t => t.Topic.Name));
        Assert.Equal((1, 1, PermName.Inherit | PermName.ReadWrite), (on[0].Topic.ReadQueueNums, on[0].Topic.WriteQueueNums, on[0].Topic.Perm));
        Assert.Equal((16, 16, PermName.Inherit | PermName.ReadWrite), (on[1].Topic.ReadQueueNums, on[1].Topic.WriteQueueNums, on[1].Topic.Perm));
        Assert.Equal(["broker-a", "ClusterA", "RMQ_SYS_TRACE_TOPIC"], off.Select(t => t.Topic.Name));
        Assert.All(off.Take(2), t => Assert.Equal(PermName.Inherit, t.Topic.Perm));
        Assert.Equal("brokerTopicEnable=false", off[0].Reason);
    }

    [Fact]
    public void Names_that_are_no_topic_names_and_a_cluster_named_like_the_group_get_no_second_topic()
    {
        var same = SystemTopicProvisioner.RocketMqDefaults("shared", "shared", true, true, null);
        var dotted = SystemTopicProvisioner.RocketMqDefaults("cluster.a", "broker-a", true, true, null);

        Assert.Equal(1, Assert.Single(same).Topic.WriteQueueNums);
        Assert.Equal("broker-a", Assert.Single(dotted).Topic.Name);
    }
}
