namespace RaftMq.Client.Producer;

/// <summary>What a producer's local transaction decided about its half message (RocketMQ's LocalTransactionState).</summary>
public enum LocalTransactionState
{
    /// <summary>Make the message visible to consumers.</summary>
    CommitMessage,

    /// <summary>Drop the message; consumers never see it.</summary>
    RollbackMessage,

    /// <summary>Not decided yet: the broker asks again later (CHECK_TRANSACTION_STATE).</summary>
    Unknown,
}

/// <summary>
/// The producer's side of a transaction: runs the local transaction right after the half message was stored, and
/// answers the broker's checks for half messages whose outcome it never received. Both may run on any thread; a
/// check can come from any process of the producer group, so answer from durable state (e.g. your database).
/// </summary>
public interface ITransactionListener
{
    /// <summary>Runs the local transaction for a half message just stored; <paramref name="argument"/> is the one given to the send.</summary>
    LocalTransactionState ExecuteLocalTransaction(Message message, object? argument);

    /// <summary>Says what became of the local transaction of a half message the broker has no outcome for.</summary>
    LocalTransactionState CheckLocalTransaction(MessageExt message);
}

/// <summary>The asynchronous form of <see cref="ITransactionListener"/>.</summary>
public interface IAsyncTransactionListener
{
    /// <summary>Runs the local transaction for a half message just stored.</summary>
    ValueTask<LocalTransactionState> ExecuteLocalTransactionAsync(Message message, object? argument, CancellationToken cancellationToken);

    /// <summary>Says what became of the local transaction of a half message the broker has no outcome for.</summary>
    ValueTask<LocalTransactionState> CheckLocalTransactionAsync(MessageExt message, CancellationToken cancellationToken);
}

/// <summary>Runs a synchronous listener where an asynchronous one is expected.</summary>
internal sealed class SynchronousTransactionListener(ITransactionListener listener) : IAsyncTransactionListener
{
    public ValueTask<LocalTransactionState> ExecuteLocalTransactionAsync(Message message, object? argument, CancellationToken cancellationToken) =>
        ValueTask.FromResult(listener.ExecuteLocalTransaction(message, argument));

    public ValueTask<LocalTransactionState> CheckLocalTransactionAsync(MessageExt message, CancellationToken cancellationToken) =>
        ValueTask.FromResult(listener.CheckLocalTransaction(message));
}

/// <summary>Outcome of <see cref="TransactionProducer.SendMessageInTransactionAsync"/>: how the half message was stored,
/// what the local transaction decided, and whether the broker confirmed that decision.</summary>
public sealed record TransactionSendResult
{
    /// <summary>How the half message was stored (its ids, queue and queue offset).</summary>
    public required SendResult SendResult { get; init; }

    /// <summary>What the local transaction decided (RollbackMessage when the half message was not stored cleanly).</summary>
    public required LocalTransactionState LocalTransactionState { get; init; }

    /// <summary>Null when the broker accepted END_TRANSACTION (or none was needed); otherwise why it did not, in which
    /// case the broker resolves the transaction by checking with the producer group.</summary>
    public string? EndTransactionError { get; init; }
}
