using System.Globalization;
using RaftMq.Chaos.History;
using RaftMq.Client;
using RaftMq.Client.Producer;
using ClientSendResult = RaftMq.Client.SendResult;
using SendResult = RaftMq.Chaos.Workload.SendResult;

namespace RaftMq.Chaos.Wiring;

/// <summary>
/// Maps what the RaftMq producer reported to a history record, classified by the client's
/// <see cref="SendOutcomeClassifier"/> (<c>fail</c> only when nothing was written) and carrying position and error.
/// The producer runs with no internal retries, so one call is one attempt.
/// </summary>
public static class SendOutcomes
{
    /// <summary>An ack: only SEND_OK is an <c>ok</c>; the RocketMQ "stored but not flushed/replicated" statuses are unknown.</summary>
    public static SendResult FromResult(ClientSendResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (SendOutcomeClassifier.Of(result) != SendOutcome.Acknowledged)
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
        return SendOutcomeClassifier.ProvesNotWritten(exception) ? SendResult.Fail(error) : SendResult.Info(error);
    }
}
