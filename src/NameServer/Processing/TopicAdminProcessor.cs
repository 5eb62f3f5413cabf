using RaftMq.NameServer.Routing;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Frames;
using RaftMq.Protocol.Headers;
using RaftMq.Protocol.Remoting;

namespace RaftMq.NameServer.Processing;

/// <summary>DELETE_TOPIC_IN_NAMESRV (216): drops a topic's routes, of one cluster (extField <c>clusterName</c>) or all.</summary>
internal sealed class TopicAdminProcessor(RouteInfoManager routes, Action<string, string?, IReadOnlyList<string>> deleted) : IRemotingRequestHandler
{
    public static IReadOnlyList<int> Codes { get; } = [RequestCode.DeleteTopicInNamesrv];

    public ValueTask<RemotingCommand?> HandleAsync(RemotingContext context, RemotingCommand request, CancellationToken cancellationToken)
    {
        var response = request.Code switch
        {
            RequestCode.DeleteTopicInNamesrv => DeleteTopic(request),
            _ => request.CreateResponse(ResponseCode.RequestCodeNotSupported, $" request type {request.Code} not supported"),
        };
        return ValueTask.FromResult<RemotingCommand?>(response);
    }

    private RemotingCommand DeleteTopic(RemotingCommand request)
    {
        string topic = HeaderFields.RequiredString(request.ExtFields, "topic");
        string? clusterName = HeaderFields.OptionalString(request.ExtFields, "clusterName");
        var brokers = routes.DeleteTopic(topic, clusterName);
        deleted(topic, clusterName, brokers);
        return request.CreateResponse(ResponseCode.Success);
    }
}
