using RaftMq.Broker.Processors.Send;
using RaftMq.Consensus.Runtime;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Headers;
using static RaftMq.Broker.Tests.Processors.BrokerTestKit;

namespace RaftMq.Broker.Tests.Processors;

/// <summary>Classic master/slave mode at the processors: a SYNC_MASTER's answers and where pulls are sent.</summary>
public sealed class MasterSlaveProcessorTests
{
    [Theory]
    [InlineData(LearnerAckResult.Replicated, ResponseCode.Success)]
    [InlineData(LearnerAckResult.TimedOut, ResponseCode.FlushSlaveTimeout)]
    [InlineData(LearnerAckResult.NoneAvailable, ResponseCode.SlaveNotAvailable)]
    public async Task A_sync_master_answers_as_its_slave_stands_and_keeps_the_message_either_way(LearnerAckResult slave, int expectedCode)
    {
        var replication = new FakeSlaveReplication(slave);
        await using var kit = new BrokerTestKit(syncMaster: replication);
        kit.Store.AddTopic("T");

        var response = await kit.InvokeAsync(SendV2("T", "m"u8.ToArray()));

        Assert.Equal(expectedCode, response.Code);
        Assert.Equal(1, replication.Waits);
        var header = SendMessageResponseHeader.FromExtFields(response.ExtFields);
        var stored = Assert.Single(kit.Store.Messages("T", 0));
        Assert.Equal(stored.OffsetMsgId, header.MsgId);
        Assert.Equal(0, header.QueueOffset);
    }

    [Fact]
    public async Task A_message_whose_WAIT_property_is_false_is_answered_without_waiting_for_the_slave()
    {
        var replication = new FakeSlaveReplication(LearnerAckResult.NoneAvailable);
        await using var kit = new BrokerTestKit(syncMaster: replication);
        kit.Store.AddTopic("T");

        var response = await kit.InvokeAsync(SendV2("T", "m"u8.ToArray(), properties: "TAGS\u0001a\u0002WAIT\u0001false"));
        var waited = await kit.InvokeAsync(SendV2("T", "m"u8.ToArray(), properties: "WAIT\u0001true\u0002NOWAIT\u0001false"));

        Assert.Equal(ResponseCode.Success, response.Code);
        Assert.Equal(ResponseCode.SlaveNotAvailable, waited.Code);
        Assert.Equal(1, replication.Waits);
    }

    [Theory]
    [InlineData(false, 1, 0)]
    [InlineData(true, 1, 1)]
    [InlineData(true, 0, 0)]
    public async Task Pulls_suggest_the_master_unless_slave_read_is_enabled_then_the_group_broker_id(bool slaveReadEnable, long groupBrokerId, long expected)
    {
        await using var kit = new BrokerTestKit(o => o with { SlaveReadEnable = slaveReadEnable });
        kit.Store.AddTopic("T");
        await kit.Store.UpsertSubscriptionGroupAsync(new SubscriptionGroupConfig { GroupName = "G", BrokerId = groupBrokerId });
        Assert.Equal(ResponseCode.Success, (await kit.InvokeAsync(SendV2("T", [1]))).Code);

        var response = await kit.InvokeAsync(Pull("T", 0, 0, group: "G"));

        Assert.Equal(ResponseCode.Success, response.Code);
        Assert.Equal(expected, PullHeader(response).SuggestWhichBrokerId);
    }

    private sealed class FakeSlaveReplication(LearnerAckResult result) : ISlaveReplication
    {
        private int _waits;

        public int Waits => Volatile.Read(ref _waits);

        public ValueTask<LearnerAckResult> WaitAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _waits);
            return ValueTask.FromResult(result);
        }
    }
}
