using System.Text;
using RaftMq.Protocol.Bodies;

namespace RaftMq.Protocol.Tests.Bodies;

public sealed class ConsumerRunningInfoTests
{
    /// <summary>What a Java 4.9 push consumer answers (fastjson: MessageQueue objects as map keys, properties as strings).</summary>
    private const string JavaBody =
        """{"mqTable":{{"brokerName":"RaftNode00","queueId":1,"topic":"T"}:{"cachedMsgCount":2,"cachedMsgMaxOffset":9,"cachedMsgMinOffset":8,"cachedMsgSizeInMiB":0,"commitOffset":8,"droped":false,"lastConsumeTimestamp":1700000000000,"lastLockTimestamp":0,"lastPullTimestamp":1700000000001,"locked":false,"transactionMsgCount":0,"transactionMsgMaxOffset":0,"transactionMsgMinOffset":0,"tryUnlockTimes":0},{"brokerName":"RaftNode00","queueId":0,"topic":"T"}:{"commitOffset":3}},"properties":{"PROP_CONSUME_TYPE":"CONSUME_PASSIVELY","consumeThreadMin":"20","PROP_CONSUMEORDERLY":"false"},"statusTable":{"T":{"consumeFailedMsgs":1,"consumeFailedTPS":0.0,"consumeOKTPS":2.5,"consumeRT":1.2,"pullRT":3.0,"pullTPS":4.0}},"subscriptionSet":[{"classFilterMode":false,"codeSet":[],"expressionType":"TAG","subString":"*","subVersion":1,"tagsSet":[],"topic":"T"}]}""";

    [Fact]
    public void A_Java_clients_body_with_object_keys_decodes()
    {
        var info = ConsumerRunningInfo.Decode(Encoding.UTF8.GetBytes(JavaBody));

        Assert.True(info.IsPushType);
        Assert.Equal([0, 1], info.MqTable.Keys.Select(q => q.QueueId));
        Assert.Equal(8, info.MqTable[new MessageQueue { Topic = "T", BrokerName = "RaftNode00", QueueId = 1 }].CommitOffset);
        Assert.Equal(2.5, info.StatusTable["T"].ConsumeOKTPS);
        Assert.Equal("*", Assert.Single(info.SubscriptionSet).SubString);
        Assert.Equal("20", info.Properties["consumeThreadMin"]);
    }

    [Fact]
    public void Encoding_writes_fastjsons_object_keys_and_reads_back_the_same()
    {
        var info = new ConsumerRunningInfo { Jstack = "threads \"quoted\"" };
        info.Properties[ConsumerRunningInfo.PropConsumeType] = "CONSUME_PASSIVELY";
        info.MqTable[new MessageQueue { Topic = "T", BrokerName = "b", QueueId = 2 }] = new ProcessQueueInfo { CommitOffset = 7, Dropped = true };
        info.StatusTable["T"] = new ConsumeStatus { PullTPS = 1.5 };

        string wire = Encoding.UTF8.GetString(info.Encode());
        var back = ConsumerRunningInfo.Decode(Encoding.UTF8.GetBytes(wire));

        Assert.Contains("\"mqTable\":{{\"brokerName\":\"b\",\"queueId\":2,\"topic\":\"T\"}:{\"commitOffset\":7,", wire, StringComparison.Ordinal);
        Assert.Contains("\"droped\":true", wire, StringComparison.Ordinal);
        Assert.Equal(7, back.MqTable.Single().Value.CommitOffset);
        Assert.Equal(1.5, back.StatusTable["T"].PullTPS);
        Assert.Equal("threads \"quoted\"", back.Jstack);
    }

    [Fact]
    public void A_direct_consume_result_prints_as_Java_does()
    {
        var result = ProtocolJson.Decode<ConsumeMessageDirectlyResult>(
            """{"autoCommit":true,"consumeResult":"CR_THROW_EXCEPTION","order":false,"remark":"boom","spentTimeMills":4}"""u8);

        Assert.Equal("ConsumeMessageDirectlyResult [order=false, autoCommit=true, consumeResult=CR_THROW_EXCEPTION, remark=boom, spentTimeMills=4]", result.ToString());
        Assert.Contains("\"consumeResult\":\"CR_THROW_EXCEPTION\"", Encoding.UTF8.GetString(ProtocolJson.Encode(result)), StringComparison.Ordinal);
    }
}
