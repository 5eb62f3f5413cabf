using System.Globalization;
using RaftMq.Broker.Store;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Frames;

namespace RaftMq.Broker.Processors;

/// <summary>Error replies shared by the processors, worded so that operators and clients can act on them.</summary>
internal static class Responses
{
    /// <summary>
    /// SERVICE_NOT_AVAILABLE (14): RocketMQ clients treat it as retriable and refresh their routes. The remark always
    /// contains "not master" and the leader id (when known) so that a human reading a client log knows where to look.
    /// </summary>
    public static RemotingCommand NotMaster(RemotingCommand request, string brokerName, string? leaderId) =>
        request.CreateResponse(ResponseCode.ServiceNotAvailable,
            $"broker {brokerName}: this node is not master; current leader is {leaderId ?? "unknown (election in progress)"}");

    public static RemotingCommand Busy(RemotingCommand request) =>
        request.CreateResponse(ResponseCode.SystemBusy, "[BUSY] the replicated log is refusing appends for now; retry later");

    public static RemotingCommand UnknownOutcome(RemotingCommand request) =>
        request.CreateResponse(ResponseCode.SystemError,
            "unknown outcome: the write was appended but not confirmed committed (timeout or leadership change); it may or may not take effect");

    public static RemotingCommand TopicNotExist(RemotingCommand request, string topic) =>
        request.CreateResponse(ResponseCode.TopicNotExist, $"topic[{topic}] not exist, apply first please!");

    /// <summary>Maps a failed store status to a reply; <paramref name="what"/> names the operation for the remark.</summary>
    public static RemotingCommand FromStoreStatus(RemotingCommand request, StoreStatus status, string brokerName, string? leaderId, string what) =>
        status switch
        {
            StoreStatus.NotLeader => NotMaster(request, brokerName, leaderId),
            StoreStatus.Busy => Busy(request),
            StoreStatus.Unknown => UnknownOutcome(request),
            StoreStatus.TopicNotFound => request.CreateResponse(ResponseCode.TopicNotExist, $"{what}: topic not found"),
            StoreStatus.MessageIllegal => request.CreateResponse(ResponseCode.MessageIllegal, $"{what}: the store rejected the message as illegal"),
            _ => request.CreateResponse(ResponseCode.SystemError,
                string.Create(CultureInfo.InvariantCulture, $"{what}: unexpected store status {status}")),
        };
}
