using System.Collections.Concurrent;
using System.Diagnostics;
using RaftMq.Cli.CommandLine;
using RaftMq.Client;
using RaftMq.Client.Producer;

namespace RaftMq.Cli.Tools;

/// <summary>What <c>--transaction</c> makes the local transaction decide: commit, rollback, unknown (the broker's
/// checks get Unknown too, until it discards the message), or check-commit (unknown at first, committed when the
/// broker checks).</summary>
internal enum TransactionShape
{
    Commit,
    Rollback,
    Unknown,
    CheckCommit,
}

internal static class TransactionShapes
{
    public const string Choices = "commit|rollback|unknown|check-commit";

    /// <summary>The shape named by <paramref name="text"/>; null when absent.</summary>
    public static TransactionShape? Parse(string? text) => text switch
    {
        null => null,
        "commit" => TransactionShape.Commit,
        "rollback" => TransactionShape.Rollback,
        "unknown" => TransactionShape.Unknown,
        "check-commit" => TransactionShape.CheckCommit,
        _ => throw new UsageException($"--transaction must be one of {Choices}, not '{text}'"),
    };
}

/// <summary>A listener deciding by <see cref="TransactionShape"/>; counts the checks it answered and, for check-commit,
/// the time from each send to the check that committed it.</summary>
internal sealed class ShapeListener(TransactionShape shape) : ITransactionListener
{
    private readonly ConcurrentDictionary<string, long> _startedAt = new(StringComparer.Ordinal);
    private long _checks;

    public long Checks => Interlocked.Read(ref _checks);

    /// <summary>Check-commit transactions sent and not yet committed by a check.</summary>
    public int AwaitingCheck => _startedAt.Count;

    /// <summary>Called with the latency of each check-commit transaction when its check commits it.</summary>
    public Action<TimeSpan>? CommittedByCheck { get; init; }

    /// <summary>Decides by shape; <paramref name="argument"/> may be the send's start timestamp (Stopwatch), kept for the
    /// check of a check-commit transaction.</summary>
    public LocalTransactionState ExecuteLocalTransaction(Message message, object? argument)
    {
        if (shape == TransactionShape.CheckCommit && argument is long started && message.GetProperty("UNIQ_KEY") is { } id) _startedAt[id] = started;
        return shape switch
        {
            TransactionShape.Commit => LocalTransactionState.CommitMessage,
            TransactionShape.Rollback => LocalTransactionState.RollbackMessage,
            _ => LocalTransactionState.Unknown,
        };
    }

    public LocalTransactionState CheckLocalTransaction(MessageExt message)
    {
        Interlocked.Increment(ref _checks);
        switch (shape)
        {
            case TransactionShape.CheckCommit:
                if (_startedAt.TryRemove(message.MsgId, out long started)) CommittedByCheck?.Invoke(Stopwatch.GetElapsedTime(started));
                return LocalTransactionState.CommitMessage;
            case TransactionShape.Commit:
                return LocalTransactionState.CommitMessage;
            case TransactionShape.Rollback:
                return LocalTransactionState.RollbackMessage;
            default:
                return LocalTransactionState.Unknown;
        }
    }
}
