using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Frames;

namespace RaftMq.Broker.Processors.Admin;

/// <summary>GET_CONSUMER_CONNECTION_LIST (203) and GET_PRODUCER_CONNECTION_LIST (204): the members of a group as this broker
/// knows them from their heartbeats (clients heartbeat the masters, so ask a master).</summary>
public sealed partial class AdminProcessor
{
    private RemotingCommand ConsumerConnections(RemotingCommand request)
    {
        string? group = request.ExtFields["consumerGroup"];
        if (string.IsNullOrEmpty(group)) return request.CreateResponse(ResponseCode.SystemError, "the request has no consumerGroup");
        if (_clients.DescribeConsumerGroup(group) is not { } connection)
        {
            return request.CreateResponse(ResponseCode.ConsumerNotOnline, $"the consumer group[{group}] not online");
        }
        var response = request.CreateResponse(ResponseCode.Success);
        response.Body = ProtocolJson.Encode(connection);
        return response;
    }

    private RemotingCommand ProducerConnections(RemotingCommand request)
    {
        string? group = request.ExtFields["producerGroup"];
        if (string.IsNullOrEmpty(group)) return request.CreateResponse(ResponseCode.SystemError, "the request has no producerGroup");
        if (_clients.DescribeProducerGroup(group) is not { } connection)
        {
            return request.CreateResponse(ResponseCode.SystemError, $"the producer group[{group}] not exist");
        }
        var response = request.CreateResponse(ResponseCode.Success);
        response.Body = ProtocolJson.Encode(connection);
        return response;
    }
}
