using System.Text;
using RaftMq.NameServer.Configuration;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Frames;
using RaftMq.Protocol.Remoting;

namespace RaftMq.NameServer.Processing;

/// <summary>GET_NAMESRV_CONFIG (319): the settings in force as <c>key=value</c> lines (Java properties text, as RocketMQ).
/// UPDATE_NAMESRV_CONFIG (318) is not served: every setting takes effect at start only.</summary>
internal sealed class ConfigProcessor(NameServerOptions options) : IRemotingRequestHandler
{
    public static IReadOnlyList<int> Codes { get; } = [RequestCode.GetNamesrvConfig];

    public ValueTask<RemotingCommand?> HandleAsync(RemotingContext context, RemotingCommand request, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        foreach (var (key, value) in options.ToProperties()) text.Append(key).Append('=').Append(value).Append('\n');
        var response = request.CreateResponse(ResponseCode.Success);
        response.Body = Encoding.UTF8.GetBytes(text.ToString());
        return ValueTask.FromResult<RemotingCommand?>(response);
    }
}
