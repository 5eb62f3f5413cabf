using System.Net;
using RaftMq.Protocol.Frames;

namespace RaftMq.Protocol.Remoting;

/// <summary>
/// Handles requests of one or more codes. Return the response, or null to reply later through
/// <see cref="RemotingContext.RespondAsync"/> (long polling) or never (oneway requests). Exceptions become a
/// SYSTEM_ERROR response with the exception message as remark.
/// </summary>
public interface IRemotingRequestHandler
{
    ValueTask<RemotingCommand?> HandleAsync(RemotingContext context, RemotingCommand request, CancellationToken cancellationToken);
}

/// <summary>
/// Transport-neutral view of where a request came from, and the way back: respond to it later, or send
/// server-initiated requests (CHECK_TRANSACTION_STATE, NOTIFY_CONSUMER_IDS_CHANGED) to the same peer. Cheap to
/// copy and safe to keep after the handler returned.
/// </summary>
public readonly struct RemotingContext
{
    public RemotingContext(RemotingConnection connection, RemotingCommand request)
    {
        Connection = connection;
        Request = request;
    }

    public RemotingConnection Connection { get; }

    public RemotingCommand Request { get; }

    public long ConnectionId => Connection.Id;

    public IPEndPoint RemoteEndPoint => Connection.RemoteEndPoint;

    /// <summary>"ip:port" of the peer.</summary>
    public string RemoteAddress => Connection.RemoteAddress;

    /// <summary>
    /// Sends <paramref name="response"/> as the reply to <see cref="Request"/> (response flag, opaque and
    /// serialize type are set here). A no-op for oneway requests.
    /// </summary>
    public ValueTask RespondAsync(RemotingCommand response, CancellationToken cancellationToken = default)
    {
        if (Request.IsOneway) return ValueTask.CompletedTask;
        response.MakeResponseTo(Request);
        return Connection.SendAsync(response, cancellationToken);
    }

    /// <summary>Sends a oneway request to the peer (no response expected).</summary>
    public ValueTask SendOnewayAsync(RemotingCommand request, CancellationToken cancellationToken = default) =>
        Connection.InvokeOnewayAsync(request, cancellationToken);

    /// <summary>Sends a request to the peer and awaits its response.</summary>
    public Task<RemotingCommand> InvokeAsync(RemotingCommand request, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        Connection.InvokeAsync(request, timeout, cancellationToken);
}
