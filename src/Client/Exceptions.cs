namespace RaftMq.Client;

/// <summary>Base of every failure the RaftMq client reports; carries the RocketMQ response code when there is one.</summary>
public abstract class MQException : Exception
{
    /// <summary>Creates the exception.</summary>
    protected MQException(int responseCode, string message, Exception? inner = null)
        : base(message, inner)
    {
        ResponseCode = responseCode;
    }

    /// <summary>The remoting response code (see <c>RaftMq.Protocol.Codes.ResponseCode</c>), or -1 when none applies.</summary>
    public int ResponseCode { get; }
}

/// <summary>
/// The client could not do what was asked: invalid arguments, no route for the topic, no reachable broker or name
/// server. Nothing was stored.
/// </summary>
public sealed class MQClientException : MQException
{
    /// <summary>Code used when the failure has no response code of its own.</summary>
    public const int NoResponseCode = -1;

    /// <summary>Creates the exception.</summary>
    public MQClientException(string message, Exception? inner = null)
        : base(NoResponseCode, message, inner)
    {
    }

    /// <summary>Creates the exception with the response code that caused it.</summary>
    public MQClientException(int responseCode, string message, Exception? inner = null)
        : base(responseCode, message, inner)
    {
    }
}

/// <summary>A broker (or name server) answered with an error code; the request was refused.</summary>
public sealed class MQBrokerException : MQException
{
    /// <summary>Creates the exception.</summary>
    public MQBrokerException(int responseCode, string? remark, string address)
        : base(responseCode, $"Broker {address} answered code {responseCode}: {remark}")
    {
        Remark = remark;
        Address = address;
    }

    /// <summary>The response's remark (error detail) as the broker wrote it.</summary>
    public string? Remark { get; }

    /// <summary>"host:port" of the server that answered.</summary>
    public string Address { get; }
}

/// <summary>
/// A send went out but no answer came back (timeout, or the connection dropped after the request was written). The
/// message may or may not be stored; the client did not retry it, so at most this one copy exists.
/// </summary>
public sealed class SendOutcomeUnknownException : MQException
{
    /// <summary>Creates the exception.</summary>
    public SendOutcomeUnknownException(string address, string message, Exception? inner = null)
        : base(MQClientException.NoResponseCode, message, inner)
    {
        Address = address;
    }

    /// <summary>"host:port" of the broker the request was sent to.</summary>
    public string Address { get; }
}
