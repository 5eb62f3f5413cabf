using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Frames;
using RaftMq.Protocol.Headers;
using RaftMq.Protocol.Remoting;

namespace RaftMq.Client.Instance;

internal sealed partial class ClientInstance
{
    /// <summary>RESET_CONSUMER_CLIENT_OFFSET (220, oneway, sent by a broker running resetOffsetByTime): hands the new offsets
    /// to the members, which act in the background so the connection's reader never waits.</summary>
    private sealed class ResetConsumerClientOffsetHandler(ClientInstance instance) : IRemotingRequestHandler
    {
        public ValueTask<RemotingCommand?> HandleAsync(RemotingContext context, RemotingCommand request, CancellationToken cancellationToken)
        {
            var header = ResetOffsetRequestHeader.FromExtFields(request.ExtFields);
            var body = ProtocolJson.Decode<ResetOffsetBody>(request.Body.Span);
            var offsets = new Dictionary<MessageQueue, long>();
            foreach (var entry in body.OffsetTable)
            {
                if (entry.MessageQueue.Topic == header.Topic && entry.Offset >= 0) offsets[entry.MessageQueue] = entry.Offset;
            }
            instance._logger.ResetOffsetReceived(header.Group, header.Topic, offsets.Count, context.RemoteAddress);
            foreach (var member in instance._members.Keys) member.OnResetOffset(header.Group, header.Topic, offsets);
            return ValueTask.FromResult<RemotingCommand?>(request.IsOneway ? null : request.CreateResponse(ResponseCode.Success));
        }
    }
}
