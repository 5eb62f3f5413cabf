using RaftMq.Broker.Processors;
using RaftMq.Broker.Processors.Pull;
using RaftMq.Broker.Processors.Send;
using RaftMq.Broker.Store;
using RaftMq.Broker.Tests.Processors.Fakes;
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

    [Fact]
    public async Task A_consumer_lagging_by_more_than_the_limit_is_sent_to_the_group_slow_broker_and_back_to_its_broker_id_once_caught_up()
    {
        await using var kit = new BrokerTestKit(o => o with { SlaveReadEnable = true, ConsumeSlowlyBacklogBytes = 0 });
        kit.Store.AddTopic("T");
        await kit.Store.UpsertSubscriptionGroupAsync(new SubscriptionGroupConfig { GroupName = "G", BrokerId = 0, WhichBrokerWhenConsumeSlowly = 2 });
        for (int i = 0; i < 3; i++) Assert.Equal(ResponseCode.Success, (await kit.InvokeAsync(SendV2("T", [(byte)i]))).Code);

        var lagging = await kit.InvokeAsync(Pull("T", 0, 0, group: "G"));
        var caughtUp = await kit.InvokeAsync(Pull("T", 0, 3, group: "G"));

        Assert.Equal(2, PullHeader(lagging).SuggestWhichBrokerId);
        Assert.Equal(ResponseCode.PullNotFound, caughtUp.Code);
        Assert.Equal(0, PullHeader(caughtUp).SuggestWhichBrokerId);
    }

    [Fact]
    public async Task The_backlog_is_the_bytes_from_the_last_pulled_message_to_the_end_of_the_queue_and_only_more_than_the_limit_is_slow()
    {
        await using var kit = new BrokerTestKit();
        kit.Store.AddTopic("T");
        for (int i = 0; i < 4; i++) await kit.InvokeAsync(SendV2("T", new byte[100 + i]));
        var units = kit.Store.ReadConsumeQueue("T", 0, 0, 4)!;
        long expected = units[3].PhysicalOffset + units[3].Size - units[1].PhysicalOffset;

        // A pull of two messages from offset 0 examined units 0 and 1: the backlog starts at unit 1.
        var result = new GetResult(GetStatus.Found, 2, NextBeginOffset: 2, MinOffset: 0, MaxOffset: 4);
        Assert.Equal(expected, PullSourceSuggestion.BacklogBytes(kit.Store, "T", 0, result));
        Assert.Equal(0, PullSourceSuggestion.BacklogBytes(kit.Store, "T", 0, result with { Status = GetStatus.NoMessageInQueue }));

        Assert.True(PullSourceSuggestion.IsSlow(expected, expected - 1));
        Assert.False(PullSourceSuggestion.IsSlow(expected, expected));
        Assert.False(PullSourceSuggestion.IsSlow(0, 0));
    }

    [Fact]
    public void Without_slave_read_the_master_is_suggested_however_far_behind_the_consumer_is()
    {
        var store = new FakeMessageStore();
        var options = new ProcessorOptions { ClusterName = "C", BrokerName = "B", StoreHost = StoreHost, ConsumeSlowlyBacklogBytes = 0 };
        var result = new GetResult(GetStatus.Found, 1, 1, 0, 1000);
        Assert.Equal(0, PullSourceSuggestion.For(store, options, "G", "T", 0, result));
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
