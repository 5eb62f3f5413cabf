namespace RaftMq.Protocol.Remoting;

/// <summary>Base of transport failures (connect, timeout, lost connection).</summary>
public abstract class RemotingException : Exception
{
    protected RemotingException(string address, string message, Exception? inner = null)
        : base(message, inner)
    {
        Address = address;
    }

    /// <summary>The "host:port" the failure concerns.</summary>
    public string Address { get; }
}

/// <summary>The connection could not be established; the request was not sent.</summary>
public sealed class RemotingConnectException : RemotingException
{
    public RemotingConnectException(string address, string message, Exception? inner = null)
        : base(address, message, inner)
    {
    }
}

/// <summary>
/// No response arrived in time. The outcome is unknown: the peer may still process the request. Other requests on
/// the same connection are not affected.
/// </summary>
public sealed class RemotingTimeoutException : RemotingException
{
    public RemotingTimeoutException(string address, string message)
        : base(address, message)
    {
    }
}

/// <summary>The connection closed before the request was written or before its response arrived; outcome unknown.</summary>
public sealed class RemotingSendException : RemotingException
{
    public RemotingSendException(string address, string message, Exception? inner = null)
        : base(address, message, inner)
    {
    }
}
