using RaftMq.NameServer.Routing;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Frames;
using RaftMq.Protocol.Headers;
using RaftMq.Protocol.Remoting;

namespace RaftMq.NameServer.Processing;

/// <summary>
/// Read-only requests of clients and admin tools: GET_ROUTEINFO_BY_TOPIC (105), GET_BROKER_CLUSTER_INFO (106),
/// GET_ALL_TOPIC_LIST_FROM_NAMESERVER (206). Bodies are always standard JSON (quoted broker-id keys), which every
/// client we know accepts.
/// </summary>
internal sealed class RouteQueryProcessor : IRemotingRequestHandler
{
    private readonly RouteInfoManager _routes;

    public RouteQueryProcessor(RouteInfoManager routes) => _routes = routes;

    public ValueTask<RemotingCommand?> HandleAsync(RemotingContext context, RemotingCommand request, CancellationToken cancellationToken)
    {
        var response = request.Code switch
        {
            RequestCode.GetRouteInfoByTopic => GetRoute(request),
            RequestCode.GetBrokerClusterInfo => Success(request, ProtocolJson.Encode(_routes.GetClusterInfo())),
            RequestCode.GetAllTopicListFromNameServer => Success(request, ProtocolJson.Encode(_routes.GetTopicList())),
            _ => request.CreateResponse(ResponseCode.RequestCodeNotSupported, $" request type {request.Code} not supported"),
        };
        return ValueTask.FromResult<RemotingCommand?>(response);
    }

    private RemotingCommand GetRoute(RemotingCommand request)
    {
        var header = GetRouteInfoRequestHeader.FromExtFields(request.ExtFields);
        var route = _routes.GetRoute(header.Topic);
        return route is null
            ? request.CreateResponse(ResponseCode.TopicNotExist, $"No topic route info in name server for the topic: {header.Topic}")
            : Success(request, ProtocolJson.Encode(route));
    }

    private static RemotingCommand Success(RemotingCommand request, byte[] body)
    {
        var response = request.CreateResponse(ResponseCode.Success);
        response.Body = body;
        return response;
    }
}
