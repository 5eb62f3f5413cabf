using RaftMq.Chaos.Wiring;
using RaftMq.Protocol.Bodies;

namespace RaftMq.Chaos.Tests.Wiring;

public sealed class KeyQueueSelectorTests
{
    private static List<MessageQueue> Queues(int count) =>
        [.. Enumerable.Range(0, count).Select(q => new MessageQueue { Topic = "ChaosTopic", BrokerName = "RaftNode00", QueueId = q })];

    [Fact]
    public void A_key_maps_to_the_same_queue_whatever_order_the_route_lists_them_in()
    {
        var queues = Queues(4);
        var reversed = Enumerable.Reverse(queues).ToList();

        foreach (var key in Enumerable.Range(0, 50).Select(k => $"p{k % 4}-k{k}"))
        {
            Assert.Equal(KeyQueueSelector.Select(queues, key), KeyQueueSelector.Select(reversed, key));
        }
    }

    [Fact]
    public void Keys_spread_over_every_queue()
    {
        var queues = Queues(4);

        var used = Enumerable.Range(0, 64).Select(k => KeyQueueSelector.Select(queues, $"p{k / 2}-k{k % 2}").QueueId).ToHashSet();

        Assert.Equal([0, 1, 2, 3], used.Order());
    }

    [Fact]
    public void The_hash_is_stable_across_processes()
    {
        // FNV-1a of "p0-k0": a fixed number, unlike string.GetHashCode which changes per process
        Assert.Equal(KeyQueueSelector.StableHash("p0-k0"), KeyQueueSelector.StableHash(new string("p0-k0".ToCharArray())));
        Assert.Equal(2166136261u, KeyQueueSelector.StableHash(""));
    }

    [Fact]
    public void A_topic_without_writable_queues_is_refused()
    {
        Assert.Throws<ArgumentException>(() => KeyQueueSelector.Select([], "p0-k0"));
    }
}
