using RaftMq.NameServer.Routing;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Frames;
using RaftMq.Protocol.Headers;
using RaftMq.Protocol.Remoting;

namespace RaftMq.NameServer.Processing;

/// <summary>DELETE_TOPIC_IN_NAMESRV (216): drops a topic's routes, of one cluster (extField <c>clusterName</c>) or all.
/// WIPE_WRITE_PERM_OF_BROKER (205) / ADD_WRITE_PERM_OF_BROKER (327): clear or set the write bit of a broker group's queues;
/// the reply's <c>wipeTopicCount</c> / <c>addTopicCount</c> says how many topics changed.</summary>
internal sealed class TopicAdminProcessor(
    RouteInfoManager routes, Action<string, string?, IReadOnlyList<string>> deleted, Action<string, string, int, string> permChanged) : IRemotingRequestHandler
{
    public static IReadOnlyList<int> Codes { get; } = [RequestCode.DeleteTopicInNamesrv, RequestCode.WipeWritePermOfBroker, RequestCode.AddWritePermOfBroker];

    public ValueTask<RemotingCommand?> HandleAsync(RemotingContext context, RemotingCommand request, CancellationToken cancellationToken)
    {
        var response = request.Code switch
        {
            RequestCode.DeleteTopicInNamesrv => DeleteTopic(request),
            RequestCode.WipeWritePermOfBroker => ChangeWritePerm(context, request, "wipeTopicCount", "wiped", routes.WipeWritePerm),
            RequestCode.AddWritePermOfBroker => ChangeWritePerm(context, request, "addTopicCount", "added", routes.AddWritePerm),
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

    private RemotingCommand ChangeWritePerm(RemotingContext context, RemotingCommand request, string countField, string change, Func<string, int> apply)
    {
        string brokerName = HeaderFields.RequiredString(request.ExtFields, "brokerName");
        int topics = apply(brokerName);
        permChanged(brokerName, change, topics, context.RemoteAddress);
        var response = request.CreateResponse(ResponseCode.Success);
        HeaderFields.Put(response.ExtFields, countField, topics);
        return response;
    }
}
