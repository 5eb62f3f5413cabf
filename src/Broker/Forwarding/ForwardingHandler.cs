using RaftMq.Broker.Processors.Admin;
using RaftMq.Broker.Store;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Frames;
using RaftMq.Protocol.Headers;
using RaftMq.Protocol.Remoting;

namespace RaftMq.Broker.Forwarding;

/// <summary>
/// The layer in front of a leader-only processor (sends, end-transaction, offset commits and queries, send-back,
/// locks). On the writable leader it runs the processor. On a follower that knows the leader it forwards the request
/// (<see cref="LeaderForwarder"/>). A node that knows no leader lets the processor answer "not master" at once, except
/// during a hand-over this node started (<see cref="HandOverWatch"/>), when it waits for the successor.
/// A request that was already forwarded once is never forwarded again.
/// </summary>
public sealed class ForwardingHandler : IRemotingRequestHandler
{
    private static readonly TimeSpan HoldPause = TimeSpan.FromMilliseconds(5);

    private readonly IRemotingRequestHandler _local;
    private readonly IMessageStore _store;
    private readonly ILeadershipControl _leadership;
    private readonly LeaderForwarder _forwarder;
    private readonly HandOverWatch _handOver;

    public ForwardingHandler(IRemotingRequestHandler local, IMessageStore store, ILeadershipControl leadership,
        LeaderForwarder forwarder, HandOverWatch handOver)
    {
        _local = local;
        _store = store;
        _leadership = leadership;
        _forwarder = forwarder;
        _handOver = handOver;
    }

    /// <summary>Codes that only the leader can serve and a follower forwards (END_TRANSACTION only where registered).</summary>
    public static IReadOnlyList<int> ForwardedCodes { get; } =
    [
        RequestCode.SendMessage, RequestCode.SendMessageV2, RequestCode.SendBatchMessage, RequestCode.EndTransaction,
        RequestCode.QueryConsumerOffset, RequestCode.UpdateConsumerOffset, RequestCode.ConsumerSendMsgBack,
        RequestCode.LockBatchMq, RequestCode.UnlockBatchMq,
    ];

    public async ValueTask<RemotingCommand?> HandleAsync(RemotingContext context, RemotingCommand request, CancellationToken cancellationToken)
    {
        if (!_forwarder.Options.Enabled || request.ExtFieldsOrNull?.ContainsKey(RaftMqExtFields.ForwardedBy) == true)
        {
            return await _local.HandleAsync(context, request, cancellationToken).ConfigureAwait(false);
        }
        while (true)
        {
            RemotingCommand? refusal = null;
            if (_store.IsWritable)
            {
                var answer = await _local.HandleAsync(context, request, cancellationToken).ConfigureAwait(false);
                if (answer is null || !IsRefusal(answer)) return answer;
                refusal = answer; // nothing was stored: during a hand-over the successor can take it
            }
            else if (_leadership.State.LeaderId is { } leader && leader != _leadership.SelfId)
            {
                return await _forwarder.ForwardAsync(request, leader, cancellationToken).ConfigureAwait(false);
            }
            if (Environment.TickCount64 >= _handOver.HoldUntil)
            {
                return refusal ?? await _local.HandleAsync(context, request, cancellationToken).ConfigureAwait(false);
            }
            await Task.Delay(HoldPause, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Busy (the log refuses appends while it hands over) or "not master": in both cases nothing was appended.</summary>
    private static bool IsRefusal(RemotingCommand answer) =>
        answer.Code == ResponseCode.SystemBusy || LeaderForwarder.IsNotMaster(answer);
}
