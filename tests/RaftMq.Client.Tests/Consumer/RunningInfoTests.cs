using System.Collections.Concurrent;
using System.Text;
using RaftMq.Client.Consumer;
using RaftMq.Client.Instance;
using RaftMq.Client.Tests.Fakes;
using RaftMq.Protocol.Bodies;

namespace RaftMq.Client.Tests.Consumer;

/// <summary>What a push consumer answers to GET_CONSUMER_RUNNING_INFO and CONSUME_MESSAGE_DIRECTLY.</summary>
public sealed class RunningInfoTests
{
    [Fact]
    public async Task Running_info_shows_the_held_queues_their_offsets_and_the_consume_rates()
    {
        await using var cluster = new FakeCluster("broker-a");
        cluster[0].CreateTopic("T", 2);
        int consumed = 0;
        var consumer = cluster.Own(new PushConsumer(cluster.ConsumerOptions("G")));
        consumer.Subscribe("T");
        await consumer.StartAsync((messages, _, _) =>
        {
            Interlocked.Add(ref consumed, messages.Count);
            return ValueTask.FromResult(ConsumeResult.Success);
        });
        var producer = await cluster.StartProducerAsync();
        for (int i = 0; i < 6; i++) await producer.SendAsync(new Message("T", Encoding.UTF8.GetBytes("m" + i)));
        IClientMember member = consumer;

        await FakeCluster.WaitUntilAsync(
            () => member.RunningInfo("G") is { } info && info.MqTable.Where(q => q.Key.Topic == "T").Sum(q => q.Value.CommitOffset) == 6,
            "the consumed offsets show");
        var info = member.RunningInfo("G")!;

        Assert.Null(member.RunningInfo("other-group"));
        Assert.True(info.IsPushType);
        Assert.Equal("G", info.Properties["consumerGroup"]);
        Assert.Equal("false", info.Properties[ConsumerRunningInfo.PropConsumeOrderly]);
        Assert.Equal(2, info.MqTable.Count(q => q.Key.Topic == "T"));
        Assert.All(info.MqTable.Where(q => q.Key.Topic == "T"), q => Assert.True(q.Value.LastConsumeTimestamp > 0 && q.Value.LastPullTimestamp > 0));
        Assert.True(info.StatusTable["T"].ConsumeOKTPS > 0);
        Assert.True(info.StatusTable["T"].PullTPS > 0);
        Assert.Equal(0, info.StatusTable["T"].ConsumeFailedMsgs);
        Assert.Contains(info.SubscriptionSet, s => s.Topic == "T" && s.SubString == "*");
    }

    [Fact]
    public async Task A_message_consumed_directly_reports_the_listeners_outcome()
    {
        await using var cluster = new FakeCluster("broker-a");
        cluster[0].CreateTopic("T", 1);
        var consumer = cluster.Own(new PushConsumer(cluster.ConsumerOptions("G")));
        consumer.Subscribe("T");
        await consumer.StartAsync((messages, _, _) => Encoding.UTF8.GetString(messages[0].Body) switch
        {
            "throw" => throw new InvalidOperationException("listener failed"),
            "later" => ValueTask.FromResult(ConsumeResult.ReconsumeLater),
            _ => ValueTask.FromResult(ConsumeResult.Success),
        });
        IClientMember member = consumer;

        var ok = await member.ConsumeDirectlyAsync("G", Stored("fine"), "broker-a")!;
        var later = await member.ConsumeDirectlyAsync("G", Stored("later"), "broker-a")!;
        var thrown = await member.ConsumeDirectlyAsync("G", Stored("throw"), "broker-a")!;

        Assert.Null(member.ConsumeDirectlyAsync("other-group", Stored(""), "broker-a"));
        Assert.Equal(ConsumeDirectlyOutcome.Success, ok.ConsumeResult);
        Assert.False(ok.Order);
        Assert.Equal(ConsumeDirectlyOutcome.Later, later.ConsumeResult);
        Assert.Equal(ConsumeDirectlyOutcome.ThrowException, thrown.ConsumeResult);
        Assert.Contains("listener failed", thrown.Remark, StringComparison.Ordinal);
    }

    private static MessageExt Stored(string body) => new() { Topic = "T", Body = Encoding.UTF8.GetBytes(body) };
}
