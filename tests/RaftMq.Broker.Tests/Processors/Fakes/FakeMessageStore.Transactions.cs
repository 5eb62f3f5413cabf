using RaftMq.Broker.Store;
using RaftMq.Broker.Store.Transactions;

namespace RaftMq.Broker.Tests.Processors.Fakes;

/// <summary>The fake keeps no transactions: processor tests of transactions run on the real store (TransactionStoreKit).</summary>
internal sealed partial class FakeMessageStore
{
    public PendingTransaction? FindPendingTransaction(long physicalOffset) => null;

    public IReadOnlyList<PendingTransaction> PendingTransactions() => [];

    public ValueTask<TransactionEndResult> EndTransactionWithRecordAsync(ReadOnlyMemory<byte> record, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(new TransactionEndResult(IsWritable ? StoreStatus.Ok : StoreStatus.NotLeader, false, LeaderId));

    public ValueTask<TransactionEndResult> RollbackTransactionAsync(long halfOffset, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(new TransactionEndResult(IsWritable ? StoreStatus.Ok : StoreStatus.NotLeader, false, LeaderId));
}
