using Microsoft.Extensions.Logging;
using RaftMq.Broker.Clients;
using RaftMq.Broker.Store;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Frames;
using RaftMq.Protocol.Headers;
using RaftMq.Protocol.Remoting;

namespace RaftMq.Broker.Processors.Admin;

/// <summary>
/// Administration: UPDATE_AND_CREATE_TOPIC (17), GET_ALL_TOPIC_CONFIG (21), DELETE_TOPIC_IN_BROKER (215),
/// GET_BROKER_RUNTIME_INFO (28), GET_ALL_DELAY_OFFSET (45), GET_TOPIC_STATS_INFO (202), GET_CONSUME_STATS (208), the subscription
/// group codes 200/201/207, INVOKE_BROKER_TO_RESET_OFFSET (222), the connection lists 203/204, GET_BROKER_CONSUME_STATS (317), QUERY_TOPIC_CONSUME_BY_WHO (300), VIEW_BROKER_STATS_DATA (315), CLEAN_UNUSED_TOPIC (316) and RaftMq's
/// <see cref="RaftMqRequestCode.TransferLeadership"/> and the membership changes 9003-9005. Topic changes go through the replicated log (leader only).
/// </summary>
public sealed partial class AdminProcessor : IRemotingRequestHandler
{
    private readonly IMessageStore _store;
    private readonly TopicManager _topics;
    private readonly ClientRegistry _clients;
    private readonly ILeadershipControl _leadership;
    private readonly BrokerStats _stats;
    private readonly Func<int> _parkedPulls;
    private readonly ProcessorOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public AdminProcessor(IMessageStore store, TopicManager topics, ClientRegistry clients, ILeadershipControl leadership,
        BrokerStats stats, Func<int> parkedPulls, ProcessorOptions options, TimeProvider time, ILogger logger)
    {
        _store = store;
        _topics = topics;
        _clients = clients;
        _leadership = leadership;
        _stats = stats;
        _parkedPulls = parkedPulls;
        _options = options;
        _time = time;
        _logger = logger;
    }

    public static IReadOnlyList<int> Codes { get; } =
    [
        RequestCode.UpdateAndCreateTopic, RequestCode.GetAllTopicConfig, RequestCode.DeleteTopicInBroker, RequestCode.GetBrokerRuntimeInfo,
        RequestCode.GetTopicStatsInfo, RequestCode.GetConsumeStats, RequestCode.GetAllDelayOffset, RaftMqRequestCode.TransferLeadership,
        RaftMqRequestCode.GetRaftStatus, RequestCode.UpdateAndCreateSubscriptionGroup, RequestCode.GetAllSubscriptionGroupConfig,
        RequestCode.DeleteSubscriptionGroup, RequestCode.InvokeBrokerToResetOffset, RequestCode.GetConsumerConnectionList,
        RequestCode.GetProducerConnectionList, RequestCode.GetBrokerConsumeStats, RequestCode.QueryTopicConsumeByWho,
        RequestCode.ViewBrokerStatsData, RequestCode.CleanUnusedTopic, RaftMqRequestCode.AddPeer, RaftMqRequestCode.RemovePeer,
        RaftMqRequestCode.PromotePeer,
    ];

    public async ValueTask<RemotingCommand?> HandleAsync(RemotingContext context, RemotingCommand request, CancellationToken cancellationToken) =>
        request.Code switch
        {
            RequestCode.UpdateAndCreateTopic => await CreateTopicAsync(context, request, cancellationToken).ConfigureAwait(false),
            RequestCode.GetAllTopicConfig => AllTopicConfig(request),
            RequestCode.DeleteTopicInBroker => await DeleteTopicAsync(context, request, cancellationToken).ConfigureAwait(false),
            RequestCode.GetBrokerRuntimeInfo => RuntimeInfo(request),
            RequestCode.GetTopicStatsInfo => TopicStats(request),
            RequestCode.GetConsumeStats => ConsumeStats(request),
            RequestCode.GetAllDelayOffset => DelayOffsets(request),
            RaftMqRequestCode.TransferLeadership => TransferLeadership(context, request),
            RaftMqRequestCode.GetRaftStatus => RaftStatus(request),
            RequestCode.UpdateAndCreateSubscriptionGroup => await UpdateSubscriptionGroupAsync(context, request, cancellationToken).ConfigureAwait(false),
            RequestCode.GetAllSubscriptionGroupConfig => AllSubscriptionGroups(request),
            RequestCode.DeleteSubscriptionGroup => await DeleteSubscriptionGroupAsync(context, request, cancellationToken).ConfigureAwait(false),
            RequestCode.InvokeBrokerToResetOffset => await ResetOffsetAsync(context, request, cancellationToken).ConfigureAwait(false),
            RequestCode.GetConsumerConnectionList => ConsumerConnections(request),
            RequestCode.GetProducerConnectionList => ProducerConnections(request),
            RequestCode.GetBrokerConsumeStats => BrokerConsumeStats(request),
            RequestCode.QueryTopicConsumeByWho => TopicConsumeByWho(request),
            RequestCode.ViewBrokerStatsData => BrokerStatsData(request),
            RequestCode.CleanUnusedTopic => await CleanUnusedTopicAsync(context, request, cancellationToken).ConfigureAwait(false),
            RaftMqRequestCode.AddPeer or RaftMqRequestCode.RemovePeer or RaftMqRequestCode.PromotePeer =>
                await ChangeMembershipAsync(context, request, cancellationToken).ConfigureAwait(false),
            _ => request.CreateResponse(ResponseCode.RequestCodeNotSupported, $" request type {request.Code} not supported"),
        };
}
