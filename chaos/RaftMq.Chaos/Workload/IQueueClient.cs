using RaftMq.Chaos.History;

namespace RaftMq.Chaos.Workload;

/// <summary>
/// How a send ended. <see cref="SendOutcome.Failed"/> must only be reported when the message was definitely
/// not written (e.g. the request never left, or the broker refused it before appending); anything else
/// that is not an ack (timeout, connection lost after sending, unknown error) is <see cref="SendOutcome.Unknown"/>.
/// </summary>
/// <param name="Attempts">Broker round trips the client made internally for this send (its own retries).</param>
public sealed record SendResult(SendOutcome Outcome, QueuePosition? Position, string? MsgId, string? Error, int Attempts = 1)
{
    /// <summary>Why END_TRANSACTION did not confirm a transactional send's decision (the broker will check back).</summary>
    public string? EndError { get; init; }

    /// <summary>A transactional send whose half message was stored: no position in the topic yet.</summary>
    public static SendResult Prepared(string? msgId, string? endError) => new(SendOutcome.Acknowledged, null, msgId, null) { EndError = endError };

    public static SendResult Ok(QueuePosition position, string? msgId, int attempts = 1) => new(SendOutcome.Acknowledged, position, msgId, null, attempts);

    public static SendResult Fail(string error, int attempts = 1) => new(SendOutcome.Failed, null, null, error, attempts);

    public static SendResult Info(string error, int attempts = 1) => new(SendOutcome.Unknown, null, null, error, attempts);
}

/// <summary>A message delivered to a consumer, decoded from its body (see <see cref="ChaosMessage"/>).</summary>
public sealed record ReceivedMessage(string PayloadId, string Key, long Seq, QueuePosition Position);

/// <summary>
/// The one seam between the harness and a broker client. The real implementation (over RaftMq.Client)
/// sends <see cref="ChaosMessage.Encode"/>d bodies with the key as sharding key through an ordered queue
/// selector, and runs one push consumer per consumer id in one consumer group.
/// </summary>
public interface IQueueClient
{
    /// <summary>Sends one message (in a transaction that follows <see cref="ChaosMessage.Transaction"/> when it has a plan)
    /// and reports how it ended; a thrown exception is recorded as info.</summary>
    Task<SendResult> SendAsync(ChaosMessage message, CancellationToken cancellationToken);

    /// <summary>
    /// Runs one consumer of the group until cancelled, calling <paramref name="onMessage"/> for every
    /// delivery (redeliveries included) in the order the consumer hands them to the application.
    /// </summary>
    Task ConsumeAsync(string consumerId, Func<ReceivedMessage, ValueTask> onMessage, CancellationToken cancellationToken);
}
