using FsCheck;
using FsCheck.Fluent;
using RaftMq.Client.Consumer;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Messages;

namespace RaftMq.Client.Tests.Consumer;

public sealed class AllocationAndSubscriptionTests
{
    private static List<MessageQueue> Queues(int count) =>
        Enumerable.Range(0, count).Select(i => new MessageQueue { Topic = "T", BrokerName = "b" + (i / 4), QueueId = i % 4 }).ToList();

    [Fact]
    public void Average_allocation_gives_every_queue_to_exactly_one_consumer_in_balanced_blocks()
    {
        Prop.ForAll(Gen.Choose(0, 40).ToArbitrary(), Gen.Choose(1, 12).ToArbitrary(), (queueCount, consumerCount) =>
        {
            var queues = Queues(queueCount);
            var consumers = Enumerable.Range(0, consumerCount).Select(i => "c" + i.ToString("D2")).ToList();
            var shares = consumers.Select(c => QueueAllocation.Averagely(queues, consumers, c)).ToList();
            var all = shares.SelectMany(s => s).ToList();
            bool exactlyOnce = all.Count == queues.Count && all.Distinct().Count() == queues.Count;
            bool balanced = shares.Max(s => s.Count) - shares.Min(s => s.Count) <= 1;
            return exactlyOnce && balanced;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Average_allocation_matches_rocketmq_for_eight_queues_and_three_consumers()
    {
        var queues = Queues(8);
        string[] consumers = ["a", "b", "c"];

        Assert.Equal([0, 1, 2], QueueAllocation.Averagely(queues, consumers, "a").Select(q => queues.IndexOf(q)));
        Assert.Equal([3, 4, 5], QueueAllocation.Averagely(queues, consumers, "b").Select(q => queues.IndexOf(q)));
        Assert.Equal([6, 7], QueueAllocation.Averagely(queues, consumers, "c").Select(q => queues.IndexOf(q)));
        Assert.Empty(QueueAllocation.Averagely(queues, consumers, "stranger"));
    }

    [Theory]
    [InlineData("*", null, true)]
    [InlineData("", "TagA", true)]
    [InlineData("TagA || TagB", "TagB", true)]
    [InlineData("TagA||TagB", "TagC", false)]
    [InlineData("TagA", null, false)]
    public void Tag_expression_matches_exact_tags(string expression, string? tag, bool matches)
    {
        Assert.Equal(matches, SubscriptionExpression.Parse("T", expression, 1).Matches(tag));
    }

    [Fact]
    public void Subscription_data_carries_java_hash_codes_of_the_tags()
    {
        var data = SubscriptionExpression.Parse("T", " TagA || TagB ", 42).ToData();

        Assert.Equal("TagA || TagB", data.SubString);
        Assert.Equal(["TagA", "TagB"], data.TagsSet);
        Assert.Equal([JavaStringHash.Compute("TagA"), JavaStringHash.Compute("TagB")], data.CodeSet);
        Assert.Equal(42, data.SubVersion);
    }

    [Fact]
    public void Expression_without_tags_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => SubscriptionExpression.Parse("T", "||", 1));
    }
}
