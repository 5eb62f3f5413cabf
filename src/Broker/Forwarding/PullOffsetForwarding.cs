using RaftMq.Broker.Processors.Admin;
using RaftMq.Broker.Store;
using RaftMq.Protocol;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Frames;
using RaftMq.Protocol.Headers;
using RaftMq.Protocol.Remoting;

namespace RaftMq.Broker.Forwarding;

/// <summary>
/// The layer in front of PULL_MESSAGE: the pull itself is served where it arrives (a follower serves what it
/// applied), but the consumer offset a pull carries with COMMIT_OFFSET is taken only by the leader. On a follower
/// the offset goes to the leader as a oneway UPDATE_CONSUMER_OFFSET, so a consumer attached to a follower loses no
/// progress; it is best effort exactly like the client's own periodic offset commit it repeats.
/// </summary>
public sealed class PullOffsetForwarding : IRemotingRequestHandler
{
    private readonly IRemotingRequestHandler _local;
    private readonly IMessageStore _store;
    private readonly ILeadershipControl _leadership;
    private readonly LeaderForwarder _forwarder;

    public PullOffsetForwarding(IRemotingRequestHandler local, IMessageStore store, ILeadershipControl leadership, LeaderForwarder forwarder)
    {
        _local = local;
        _store = store;
        _leadership = leadership;
        _forwarder = forwarder;
    }

    public ValueTask<RemotingCommand?> HandleAsync(RemotingContext context, RemotingCommand request, CancellationToken cancellationToken)
    {
        if (_forwarder.Options.Enabled && !_store.IsWritable && _leadership.State.LeaderId is { } leader && leader != _leadership.SelfId
            && request.ExtFieldsOrNull?.ContainsKey(RaftMqExtFields.ForwardedBy) != true)
        {
            var pull = PullMessageRequestHeader.FromExtFields(request.ExtFields);
            if (PullSysFlag.HasCommitOffset(pull.SysFlag) && pull.CommitOffset >= 0)
            {
                var fields = new StringMap(4);
                new UpdateConsumerOffsetRequestHeader
                {
                    ConsumerGroup = pull.ConsumerGroup,
                    Topic = pull.Topic,
                    QueueId = pull.QueueId,
                    CommitOffset = pull.CommitOffset,
                }.ToExtFields(fields);
                var update = RemotingCommand.CreateRequest(RequestCode.UpdateConsumerOffset, fields);
                update.MarkOneway();
                _ = _forwarder.ForwardAsync(update, leader, CancellationToken.None).AsTask();
            }
        }
        return _local.HandleAsync(context, request, cancellationToken);
    }
}
