using System.Globalization;
using RaftMq.Chaos.History;
using RaftMq.Client;
using RaftMq.Client.Producer;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Remoting;
using ClientSendResult = RaftMq.Client.SendResult;
using SendResult = RaftMq.Chaos.Workload.SendResult;

namespace RaftMq.Chaos.Wiring;

/// <summary>
/// Maps what the RaftMq producer reported to a history outcome. <c>fail</c> is a promise that the message was not
/// written, so only refusals that happen before anything is appended qualify; everything else that is not an ack is
/// <c>info</c>. The producer runs with no internal retries, so one call is one attempt.
/// </summary>
public static class SendOutcomes
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

    /// <summary>An ack: only SEND_OK is an <c>ok</c>; the RocketMQ "stored but not flushed/replicated" statuses are unknown.</summary>
    public static SendResult FromResult(ClientSendResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Status != SendStatus.SendOk)
        {
            return SendResult.Info(string.Create(CultureInfo.InvariantCulture,
                $"broker stored the message with status {result.Status} at {result.Queue.BrokerName}/{result.Queue.QueueId}/{result.QueueOffset}"));
        }

        var position = new QueuePosition(result.Queue.BrokerName, result.Queue.QueueId, result.QueueOffset);
        return SendResult.Ok(position, result.MsgId);
    }

    /// <summary>
    /// A transactional send: <c>ok</c> when the half message was stored (its position is in the half topic, not the
    /// workload's topic, so none is recorded); a half message stored with another status is <c>info</c>, as for a plain send.
    /// </summary>
    public static SendResult FromTransaction(TransactionSendResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.SendResult.Status == SendStatus.SendOk
            ? SendResult.Prepared(result.SendResult.MsgId, result.EndTransactionError)
            : FromResult(result.SendResult);
    }

    /// <summary>A send that threw: <c>fail</c> when the exception proves nothing was written, else <c>info</c>.</summary>
    public static SendResult FromException(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var error = $"{exception.GetType().Name}: {exception.Message}";
        return ProvesNotWritten(exception) ? SendResult.Fail(error) : SendResult.Info(error);
    }

    /// <summary>True when the request certainly never reached a broker's log.</summary>
    public static bool ProvesNotWritten(Exception exception) => exception switch
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
