using RaftMq.Chaos.History;
using RaftMq.Chaos.Wiring;
using RaftMq.Client;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Remoting;
using ClientSendResult = RaftMq.Client.SendResult;

namespace RaftMq.Chaos.Tests.Wiring;

public sealed class SendOutcomesTests
{
    private static ClientSendResult Stored(SendStatus status) => new()
    {
        Status = status,
        MsgId = "7F000001000000000000000000000001",
        OffsetMsgId = "7F00000100002A9F0000000000000030",
        Queue = new MessageQueue { Topic = "ChaosTopic", BrokerName = "RaftNode00", QueueId = 2 },
        QueueOffset = 41,
    };

    [Fact]
    public void Send_ok_is_an_ok_at_the_acknowledged_queue_position()
    {
        var result = SendOutcomes.FromResult(Stored(SendStatus.SendOk));

        Assert.Equal(SendOutcome.Acknowledged, result.Outcome);
        Assert.Equal(new QueuePosition("RaftNode00", 2, 41), result.Position);
        Assert.Equal("7F000001000000000000000000000001", result.MsgId);
        Assert.Equal(1, result.Attempts);
    }

    [Theory]
    [InlineData(SendStatus.FlushDiskTimeout)]
    [InlineData(SendStatus.FlushSlaveTimeout)]
    [InlineData(SendStatus.SlaveNotAvailable)]
    public void Stored_but_not_flushed_or_replicated_is_unknown_not_ok(SendStatus status)
    {
        var result = SendOutcomes.FromResult(Stored(status));

        Assert.Equal(SendOutcome.Unknown, result.Outcome);
        Assert.Null(result.Position);
    }

    [Theory]
    [InlineData(ResponseCode.SystemBusy)]
    [InlineData(ResponseCode.MessageIllegal)]
    [InlineData(ResponseCode.ServiceNotAvailable)]
    [InlineData(ResponseCode.NoPermission)]
    [InlineData(ResponseCode.TopicNotExist)]
    public void Broker_refusals_before_the_append_are_definite_failures(int code)
    {
        var result = SendOutcomes.FromException(new MQBrokerException(code, "refused", "127.0.0.1:30911"));

        Assert.Equal(SendOutcome.Failed, result.Outcome);
        Assert.Contains("refused", result.Error);
    }

    [Fact]
    public void System_error_is_unknown_because_raftmq_uses_it_for_an_append_of_unknown_outcome()
    {
        var result = SendOutcomes.FromException(new MQBrokerException(ResponseCode.SystemError, "unknown outcome", "127.0.0.1:30911"));

        Assert.Equal(SendOutcome.Unknown, result.Outcome);
    }

    [Fact]
    public void Timeouts_and_lost_connections_after_sending_are_unknown()
    {
        var unknown = new SendOutcomeUnknownException("127.0.0.1:30911", "no answer",
            new RemotingTimeoutException("127.0.0.1:30911", "timed out"));

        Assert.Equal(SendOutcome.Unknown, SendOutcomes.FromException(unknown).Outcome);
        Assert.Equal(SendOutcome.Unknown, SendOutcomes.FromException(new RemotingSendException("127.0.0.1:30911", "reset")).Outcome);
        Assert.Equal(SendOutcome.Unknown, SendOutcomes.FromException(new InvalidOperationException("surprise")).Outcome);
        Assert.Equal(SendOutcome.Unknown, SendOutcomes.FromException(new MQBrokerException(ResponseCode.FlowControl, "?", "a:1")).Outcome);
    }

    [Fact]
    public void Client_side_refusals_before_any_request_are_definite_failures()
    {
        var refused = new MQClientException(ResponseCode.ServiceNotAvailable, "Cannot connect to broker 127.0.0.1:30911",
            new RemotingConnectException("127.0.0.1:30911", "connection refused"));

        Assert.Equal(SendOutcome.Failed, SendOutcomes.FromException(refused).Outcome);
        Assert.Equal(SendOutcome.Failed, SendOutcomes.FromException(new MQClientException("Broker RaftNode00 has no master.")).Outcome);
        Assert.Equal(SendOutcome.Failed, SendOutcomes.FromException(new RemotingConnectException("127.0.0.1:1", "refused")).Outcome);
    }
}
