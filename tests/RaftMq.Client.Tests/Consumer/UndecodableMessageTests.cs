using System.Collections.Concurrent;
using System.Text;
using RaftMq.Client.Consumer;
using RaftMq.Client.Tests.Fakes;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Messages;

namespace RaftMq.Client.Tests.Consumer;

/// <summary>A stored message whose body cannot be decoded never blocks the messages behind it.</summary>
public sealed class UndecodableMessageTests
{
    [Fact]
    public async Task Undecodable_message_goes_to_the_groups_DLQ_and_the_queue_goes_on()
    {
        await using var cluster = new FakeCluster("broker-a");
        cluster[0].CreateTopic("T", 1);
        cluster[0].StoreRaw("T", 0, MessageSysFlag.Compressed, "not zlib data"u8.ToArray(), "UNIQ_KEY\u0001POISON");
        cluster[0].StoreRaw("T", 0, 0, "after"u8.ToArray(), "UNIQ_KEY\u0001GOOD");
        var delivered = new ConcurrentQueue<string>();
        var consumer = cluster.Own(new PushConsumer(cluster.ConsumerOptions("G") with { ConsumeFromWhere = ConsumeFromWhere.ConsumeFromFirstOffset }));
        consumer.Subscribe("T");
        await consumer.StartAsync((messages, _, _) =>
        {
            foreach (var message in messages) delivered.Enqueue(Encoding.UTF8.GetString(message.Body));
            return ValueTask.FromResult(ConsumeResult.Success);
        });

        await FakeCluster.WaitUntilAsync(() => delivered.Contains("after"), "the message behind the poison one is delivered");
        Assert.Equal(["after"], delivered);
        var dead = Assert.Single(cluster[0].Messages("%DLQ%G"));
        Assert.Equal("POISON", dead.Properties[MessageProperty.UniqueClientMessageIdKeyIndex]);
        Assert.Equal(1, cluster[0].Count(RequestCode.ConsumerSendMsgBack));
    }

    [Fact]
    public void Pulled_batch_with_a_corrupt_body_decodes_and_marks_only_that_message()
    {
        var record = new byte[StoredMessageCodec.GetRecordSize(3, "T", null)];
        StoredMessageCodec.Encode(record, new StoredMessageFields { SysFlag = MessageSysFlag.Compressed }, "bad"u8, "T", null);
        var decoded = PulledMessages.Decode(record, "broker-a", new() { SuggestWhichBrokerId = 0, NextBeginOffset = 1, MinOffset = 0, MaxOffset = 1 }, null, null);
        var message = Assert.Single(decoded);
        Assert.NotNull(message.UndecodableReason);
        Assert.Equal("bad"u8.ToArray(), message.Body);
    }
}
