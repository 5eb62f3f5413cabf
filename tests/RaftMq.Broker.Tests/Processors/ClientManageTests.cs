using RaftMq.Broker.Clients;
using RaftMq.Broker.Tests.Processors.Fakes;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Headers;
using RaftMq.Protocol.Remoting;
using static RaftMq.Broker.Tests.Processors.BrokerTestKit;

namespace RaftMq.Broker.Tests.Processors;

public sealed class ClientManageTests
{
    [Fact]
    public async Task Heartbeat_registers_the_consumer_and_creates_its_retry_topic()
    {
        await using var kit = new BrokerTestKit();
        var response = await kit.InvokeAsync(Heartbeat("10.0.0.1@1"));

        Assert.Equal(ResponseCode.Success, response.Code);
        var list = await kit.InvokeAsync(Request(RequestCode.GetConsumerListByGroup, ("consumerGroup", "CG")));
        Assert.Equal(ResponseCode.Success, list.Code);
        Assert.Equal(["10.0.0.1@1"], ProtocolJson.Decode<ConsumerListByGroupResponseBody>(list.Body.Span).ConsumerIdList);
        var retry = kit.Store.FindTopic("%RETRY%CG");
        Assert.NotNull(retry);
        Assert.Equal(1, retry.WriteQueueNums);
    }

    [Fact]
    public async Task Consumer_list_of_an_unknown_group_answers_system_error()
    {
        await using var kit = new BrokerTestKit();
        var list = await kit.InvokeAsync(Request(RequestCode.GetConsumerListByGroup, ("consumerGroup", "Nobody")));

        Assert.Equal(ResponseCode.SystemError, list.Code);
        Assert.Contains("no consumer", list.Remark);
    }

    [Fact]
    public async Task A_joining_consumer_makes_the_broker_notify_the_other_members()
    {
        await using var kit = new BrokerTestKit();
        var first = kit.NewClient();
        var recorder = new RecordingHandler();
        first.RegisterHandler(RequestCode.NotifyConsumerIdsChanged, recorder);
        Assert.Equal(ResponseCode.Success, (await kit.InvokeAsync(Heartbeat("c1"), first)).Code);
        Assert.Equal(ResponseCode.Success, (await kit.InvokeAsync(Heartbeat("c2"), kit.NewClient())).Code);

        await WaitUntilAsync(() => !recorder.Received.IsEmpty, "the first consumer is notified");
        recorder.Received.TryPeek(out var notify);
        Assert.Equal("CG", ConsumerGroupRequestHeader.FromExtFields(notify!.ExtFields).ConsumerGroup);
        Assert.True(notify.IsOneway);
        var ids = ProtocolJson.Decode<ConsumerListByGroupResponseBody>((await kit.InvokeAsync(Request(RequestCode.GetConsumerListByGroup, ("consumerGroup", "CG")))).Body.Span);
        Assert.Equal(["c1", "c2"], ids.ConsumerIdList);
    }

    [Fact]
    public async Task A_closed_connection_leaves_its_groups_at_once()
    {
        await using var kit = new BrokerTestKit();
        var leaving = kit.NewClient();
        await kit.InvokeAsync(Heartbeat("c1"), leaving);
        await kit.InvokeAsync(Heartbeat("c2"));
        leaving.CloseConnection(kit.Address);

        await WaitUntilAsync(() => kit.Processors.Clients.ConsumerIds("CG").SequenceEqual(["c2"]), "c1 is dropped");
    }

    [Fact]
    public async Task Unregister_client_removes_it_from_the_group()
    {
        await using var kit = new BrokerTestKit();
        await kit.InvokeAsync(Heartbeat("c1"));
        var response = await kit.InvokeAsync(Request(RequestCode.UnregisterClient, ("clientID", "c1"), ("consumerGroup", "CG")));

        Assert.Equal(ResponseCode.Success, response.Code);
        Assert.Empty(kit.Processors.Clients.ConsumerIds("CG"));
    }

    [Fact]
    public void Channels_without_heartbeat_for_the_expiry_are_dropped()
    {
        var time = new ManualTimeProvider();
        var registry = new ClientRegistry(time, TimeSpan.FromSeconds(120));
        var data = new ConsumerData { GroupName = "CG" };
        registry.RegisterConsumer(new ClientChannel("c1", 1, null, LanguageCode.Java, 409, time.GetUtcNow()), data);
        time.Advance(TimeSpan.FromSeconds(100));
        registry.RegisterConsumer(new ClientChannel("c2", 2, null, LanguageCode.Java, 409, time.GetUtcNow()), data);
        time.Advance(TimeSpan.FromSeconds(30));

        Assert.Equal(["CG"], registry.RemoveExpired());
        Assert.Equal(["c2"], registry.ConsumerIds("CG"));
    }

    [Fact]
    public void Locks_are_exclusive_per_group_and_expire_after_sixty_seconds_without_renewal()
    {
        var time = new ManualTimeProvider();
        var locks = new QueueLockManager(time, TimeSpan.FromSeconds(60));
        var q0 = new MessageQueue { Topic = "T", BrokerName = "b", QueueId = 0 };
        var q1 = new MessageQueue { Topic = "T", BrokerName = "b", QueueId = 1 };

        Assert.Equal([q0], locks.TryLock("CG", "c1", [q0]));
        Assert.Equal([q1], locks.TryLock("CG", "c2", [q0, q1]));
        Assert.Equal([q0], locks.TryLock("OtherGroup", "c2", [q0]));
        time.Advance(TimeSpan.FromSeconds(59));
        Assert.Empty(locks.TryLock("CG", "c2", [q0]));
        Assert.Equal([q0], locks.TryLock("CG", "c1", [q0]));
        time.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal([q0], locks.TryLock("CG", "c2", [q0]));
        Assert.Equal("c2", locks.Holder("CG", q0));
    }

    [Fact]
    public async Task Lock_and_unlock_over_the_wire_release_only_the_callers_queues()
    {
        await using var kit = new BrokerTestKit();
        var q0 = new MessageQueue { Topic = "T", BrokerName = "RaftNode00", QueueId = 0 };
        var locked = await kit.InvokeAsync(LockRequest(RequestCode.LockBatchMq, "c1", q0));
        var stolen = await kit.InvokeAsync(LockRequest(RequestCode.LockBatchMq, "c2", q0));
        await kit.InvokeAsync(LockRequest(RequestCode.UnlockBatchMq, "c2", q0));
        var stillHeld = kit.Processors.Locks.Holder("CG", q0);
        await kit.InvokeAsync(LockRequest(RequestCode.UnlockBatchMq, "c1", q0));

        Assert.Equal([q0], ProtocolJson.Decode<LockBatchResponseBody>(locked.Body.Span).LockOkMqSet);
        Assert.Empty(ProtocolJson.Decode<LockBatchResponseBody>(stolen.Body.Span).LockOkMqSet);
        Assert.Equal("c1", stillHeld);
        Assert.Null(kit.Processors.Locks.Holder("CG", q0));
    }

    [Fact]
    public async Task Lock_on_a_follower_answers_not_master()
    {
        await using var kit = new BrokerTestKit();
        kit.Store.IsWritable = false;
        var response = await kit.InvokeAsync(LockRequest(RequestCode.LockBatchMq, "c1", new MessageQueue { Topic = "T", QueueId = 0 }));

        Assert.Equal(ResponseCode.ServiceNotAvailable, response.Code);
        Assert.Contains("not master", response.Remark);
    }

    private static Protocol.Frames.RemotingCommand LockRequest(int code, string clientId, MessageQueue queue)
    {
        var request = Protocol.Frames.RemotingCommand.CreateRequest(code);
        request.Body = ProtocolJson.Encode(new LockBatchRequestBody { ClientId = clientId, ConsumerGroup = "CG", MqSet = [queue] });
        return request;
    }
}
