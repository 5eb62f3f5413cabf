using System.Buffers.Text;
using System.Text.Json;
using RaftMq.Broker.Store.Control;
using RaftMq.Broker.Store.Transactions;
using RaftMq.Consensus.Core;
using RaftMq.Protocol.Messages;

namespace RaftMq.Broker.Store;

public sealed partial class MessageStateMachine
{
    /// <summary>Apply result of a rollback record that ended its transaction (other control records give NoQueueOffset).</summary>
    internal const long TransactionEnded = 0;

    private readonly TransactionTable _transactions = new();

    public PendingTransaction? FindPendingTransaction(long physicalOffset) => _transactions.FindByCopy(physicalOffset);

    public IReadOnlyList<PendingTransaction> PendingTransactions() => _transactions.ToList();

    /// <summary>
    /// A message that ends a transaction (PREPARED_TX_OFFSET set, outside the half topic) is dispatched only when its
    /// transaction is still pending: the first outcome in log order wins and later ones stay invisible.
    /// </summary>
    private bool EndsNoPendingTransaction(in StoredMessageView view, bool halfTopic) =>
        !halfTopic && view.PreparedTransactionOffset > 0 && !_transactions.End(view.PreparedTransactionOffset);

    /// <summary>A half message becomes pending; a check's copy of one (PREPARED_TX_OFFSET set) updates it.</summary>
    private void TrackHalfMessage(in StoredMessageView view, ReadOnlySpan<byte> properties, long physicalOffset, long queueOffset)
    {
        int checkTimes = ReadInt(properties, "TRANSACTION_CHECK_TIMES"u8);
        var copy = new HalfMessageCopy(physicalOffset, queueOffset);
        if (view.PreparedTransactionOffset > 0)
        {
            _transactions.AddCopy(view.PreparedTransactionOffset, copy, checkTimes, view.StoreTimestamp);
            return;
        }
        string group = MessageProperties.TryGetValue(properties, "PGROUP"u8, out var pgroup) ? System.Text.Encoding.UTF8.GetString(pgroup) : "";
        string? uniqueKey = MessageProperties.TryGetValue(properties, "UNIQ_KEY"u8, out var key) ? System.Text.Encoding.UTF8.GetString(key) : null;
        _transactions.Prepare(new PendingTransaction(physicalOffset, group, uniqueKey, view.StoreTimestamp,
            ReadInt(properties, "CHECK_IMMUNITY_TIME_IN_SECONDS"u8), checkTimes, view.StoreTimestamp, [copy]));
    }

    private long ApplyRollback(LogEntry entry, ReadOnlyMemory<byte> payload)
    {
        var rollback = JsonSerializer.Deserialize(payload.Span, StoreJsonContext.Default.TransactionRollbackPayload);
        if (rollback is null || rollback.HalfOffset <= 0) return Skip(entry, "transaction rollback without a half message offset");
        return _transactions.End(rollback.HalfOffset) ? TransactionEnded : NoQueueOffset;
    }

    /// <summary>A non-negative decimal property; 0 when absent or malformed (the same on every replica).</summary>
    private static int ReadInt(ReadOnlySpan<byte> properties, ReadOnlySpan<byte> key) =>
        MessageProperties.TryGetValue(properties, key, out var text) && Utf8Parser.TryParse(text, out int value, out int used)
        && used == text.Length && value > 0
            ? value
            : 0;
}
