namespace RaftMq.Broker.Store.Transactions;

/// <summary>One stored copy of a half message: the prepared original, or a copy a check put back into the half queue.</summary>
public sealed record HalfMessageCopy(long PhysicalOffset, long QueueOffset);

/// <summary>
/// A transaction whose half message has no outcome yet, as derived from the log. <see cref="HalfOffset"/> (the
/// physical offset of the prepared original) names it; every later copy carries it in PREPARED_TX_OFFSET.
/// </summary>
/// <param name="HalfOffset">Physical offset of the prepared half message.</param>
/// <param name="ProducerGroup">PGROUP: the group whose producers are asked to check it.</param>
/// <param name="UniqueKey">UNIQ_KEY (the producer's message id and transaction id), when it set one.</param>
/// <param name="PreparedAtMs">Store time of the prepared original.</param>
/// <param name="CheckImmunitySeconds">CHECK_IMMUNITY_TIME_IN_SECONDS of the message; 0 when absent.</param>
/// <param name="CheckTimes">Checks made so far (TRANSACTION_CHECK_TIMES of the newest copy).</param>
/// <param name="LastStoredAtMs">Store time of the newest copy (when the last check or refresh was written).</param>
/// <param name="Copies">Every copy, oldest first; the last is the current one.</param>
public sealed record PendingTransaction(
    long HalfOffset,
    string ProducerGroup,
    string? UniqueKey,
    long PreparedAtMs,
    int CheckImmunitySeconds,
    int CheckTimes,
    long LastStoredAtMs,
    IReadOnlyList<HalfMessageCopy> Copies)
{
    public HalfMessageCopy Current => Copies[^1];

    /// <summary>The queue offset the copy at <paramref name="physicalOffset"/> got, or -1 when it is not a copy of this one.</summary>
    public long QueueOffsetOf(long physicalOffset)
    {
        foreach (var copy in Copies)
        {
            if (copy.PhysicalOffset == physicalOffset) return copy.QueueOffset;
        }
        return -1;
    }
}

/// <summary>Outcome of a commit, rollback or discard write: whether it was committed, and whether it ended the
/// transaction (false: another outcome was applied first, so this one changed nothing).</summary>
public readonly record struct TransactionEndResult(StoreStatus Status, bool Ended, string? LeaderId);
