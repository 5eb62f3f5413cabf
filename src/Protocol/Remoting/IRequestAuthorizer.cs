using RaftMq.Protocol.Frames;

namespace RaftMq.Protocol.Remoting;

/// <summary>
/// Decides, before a request is queued for its processor, whether it may run at all (access control). Called on the
/// connection's read loop, so it must be quick and must not throw. A refused request is answered with the refusal's code
/// and remark (nothing for oneway requests); the connection stays open.
/// </summary>
public interface IRequestAuthorizer
{
    RequestRefusal? Authorize(RemotingConnection connection, RemotingCommand request);
}

/// <summary>The response a refused request gets.</summary>
public readonly record struct RequestRefusal(int Code, string Remark);
