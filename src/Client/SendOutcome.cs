using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Remoting;

namespace RaftMq.Client;

/// <summary>How one send ended, as far as its producer can know.</summary>
public enum SendOutcome
{
    /// <summary>The broker answered SEND_OK: committed by a majority and applied.</summary>
    Acknowledged,

    /// <summary>Certainly not stored: refused before anything was appended (no route, connection refused, not master...).</summary>
    Failed,

    /// <summary>May or may not be stored: timeout, connection lost after the request left, an unknown error, or a
    /// "stored but not flushed/replicated" status.</summary>
    Unknown,
}

/// <summary>Classifies what a producer reported into a <see cref="SendOutcome"/>. <see cref="SendOutcome.Failed"/> is a
/// promise that nothing was written, so only refusals that happen before an append qualify.</summary>
public static class SendOutcomeClassifier
{
    /// <summary>
    /// Broker answers that refuse a send before it reaches the log: 2 SYSTEM_BUSY (the replicated log refuses
    /// appends), 13 MESSAGE_ILLEGAL, 14 SERVICE_NOT_AVAILABLE ("not master"), 16 NO_PERMISSION, 17 TOPIC_NOT_EXIST.
    /// Code 1 SYSTEM_ERROR is deliberately absent: RaftMq answers it when an append's outcome is unknown.
    /// </summary>
    public static IReadOnlySet<int> RefusedBeforeWriteCodes { get; } = new HashSet<int>
    {
        ResponseCode.SystemBusy,
        ResponseCode.MessageIllegal,
        ResponseCode.ServiceNotAvailable,
        ResponseCode.NoPermission,
        ResponseCode.TopicNotExist,
    };

    /// <summary>Only SEND_OK is acknowledged; the RocketMQ "stored but not flushed/replicated" statuses are unknown.</summary>
    public static SendOutcome Of(SendResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.Status == SendStatus.SendOk ? SendOutcome.Acknowledged : SendOutcome.Unknown;
    }

    /// <summary>A send that threw: failed when the exception proves nothing was written, else unknown.</summary>
    public static SendOutcome Of(Exception exception) => ProvesNotWritten(exception) ? SendOutcome.Failed : SendOutcome.Unknown;

    /// <summary>True when the request certainly never reached a broker's log.</summary>
    public static bool ProvesNotWritten(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            // request timed out or the connection broke after it was written: the broker may have appended it
            SendOutcomeUnknownException => false,
            MQBrokerException broker => RefusedBeforeWriteCodes.Contains(broker.ResponseCode),
            // the client gave up before sending: no route, no master known, connection refused, invalid message
            MQClientException => true,
            // a connect failure is raised before any byte of the request is written
            RemotingConnectException => true,
            _ => false,
        };
    }
}
