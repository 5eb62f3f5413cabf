using RaftMq.Broker.Store;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Headers;
using RaftMq.Protocol.Messages;
using static RaftMq.Broker.Tests.Transactions.TransactionKit;

namespace RaftMq.Broker.Tests.Transactions;

/// <summary>The pending set, check counts and check times are a function of the log: replicas, restarts, re-derivation
/// and a new leader all see the same, and the check service continues from it.</summary>
public sealed class TransactionStateTests
{
    [Fact]
    public async Task Replicas_a_restart_and_a_rederivation_from_the_log_all_give_the_same_pending_set()
    {
        await using var kit = new TransactionKit();
        var a = await kit.PrepareAsync("a");
        var b = await kit.PrepareAsync("b");
        var c = await kit.PrepareAsync("c", group: "OtherGroup");
        await kit.InvokeAsync(End(b.CommitLogOffset, b.QueueOffset, MessageSysFlag.TransactionCommitType));
        kit.Harness.Leader.StateMachine.WriteCheckpoint();
        await kit.InvokeAsync(End(a.CommitLogOffset, a.QueueOffset, MessageSysFlag.TransactionRollbackType));
        var d = await kit.PrepareAsync("d");
        kit.Harness.Group.CatchUpAll();

        var expected = kit.Harness.Leader.PendingTransactions();
        Assert.Equal([c.CommitLogOffset, d.CommitLogOffset], expected.Select(p => p.HalfOffset));
        Assert.Equal("OtherGroup", expected[0].ProducerGroup);
        Assert.All(kit.Harness.All, store => Assert.Equal(expected, store.PendingTransactions(), PendingComparer.Instance));

        var restarted = kit.Harness.Crash("n1"); // checkpoint (a, b pending or ended) + replay of the rest
        Assert.Equal(expected, restarted.PendingTransactions(), PendingComparer.Instance);
        restarted.StateMachine.Reset();
        Assert.Empty(restarted.PendingTransactions());
        var rederived = kit.Harness.Crash("n1");
        Assert.Equal(expected, rederived.PendingTransactions(), PendingComparer.Instance);
    }

    [Fact]
    public async Task A_check_writes_a_counted_copy_then_asks_a_producer_and_its_answer_ends_the_transaction()
    {
        await using var kit = new TransactionKit();
        await kit.RegisterProducerAsync();
        var half = await kit.PrepareAsync("pay-1");
        Assert.Equal(0, await kit.Processors.TransactionChecks.CheckDueAsync(CancellationToken.None)); // not due yet

        kit.Harness.Time.Advance(TimeSpan.FromSeconds(7));
        Assert.Equal(1, await kit.Processors.TransactionChecks.CheckDueAsync(CancellationToken.None));

        await Processors.BrokerTestKit.WaitUntilAsync(() => !kit.Checks.IsEmpty, "a CHECK_TRANSACTION_STATE");
        Assert.True(kit.Checks.TryDequeue(out var check));
        var header = CheckTransactionStateRequestHeader.FromExtFields(check.ExtFields);
        var body = StoredMessageView.Read(check.Body.Span).ToDecodedMessage();
        Assert.Equal(("T", "pay-1-id", "1"), (body.Topic, header.MsgId, body.Properties[MessageProperty.TransactionCheckTimes]));
        Assert.NotEqual(half.CommitLogOffset, header.CommitLogOffset);
        kit.Harness.Group.CatchUpAll();
        Assert.All(kit.Harness.All, store => Assert.Equal(1, Assert.Single(store.PendingTransactions()).CheckTimes));

        var answer = await kit.InvokeAsync(End(header.CommitLogOffset, header.TranStateTableOffset, MessageSysFlag.TransactionCommitType, fromCheck: true));
        Assert.Equal(ResponseCode.Success, answer.Code);
        Assert.Single(kit.Delivered());
        // The producer's own late END naming the original half message finds the transaction ended.
        var late = await kit.InvokeAsync(End(half.CommitLogOffset, half.QueueOffset, MessageSysFlag.TransactionCommitType));
        Assert.Contains("already ended", late.Remark);
        Assert.Single(kit.Delivered());
    }

    [Fact]
    public async Task A_new_leader_continues_the_checks_where_the_old_one_stopped_and_discards_after_the_maximum()
    {
        await using var kit = new TransactionKit(checkMax: 2);
        await kit.RegisterProducerAsync();
        var half = await kit.PrepareAsync("undecided");
        kit.Harness.Time.Advance(TimeSpan.FromSeconds(7));
        Assert.Equal(1, await kit.Processors.TransactionChecks.CheckDueAsync(CancellationToken.None)); // check 1

        kit.Harness.Group.ElectLeader("n1");
        kit.Harness.Group.CatchUpAll();
        await using var successor = new TransactionKit(checkMax: 2, shared: kit.Harness, nodeId: "n1");
        Assert.Equal(1, Assert.Single(kit.Harness["n1"].PendingTransactions()).CheckTimes);
        kit.Harness.Time.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(0, await successor.Processors.TransactionChecks.CheckDueAsync(CancellationToken.None)); // nobody to ask: waits, uncounted
        Assert.Equal(1, Assert.Single(kit.Harness["n1"].PendingTransactions()).CheckTimes);

        await successor.RegisterProducerAsync();
        Assert.Equal(1, await successor.Processors.TransactionChecks.CheckDueAsync(CancellationToken.None)); // check 2
        await Processors.BrokerTestKit.WaitUntilAsync(() => !successor.Checks.IsEmpty, "check 2 at the new leader");
        kit.Harness.Time.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(1, await successor.Processors.TransactionChecks.CheckDueAsync(CancellationToken.None)); // discard

        var discarded = Assert.Single(kit.Delivered(SystemNames.TransactionCheckMaxTimeTopic));
        Assert.Equal(half.CommitLogOffset, discarded.PreparedTransactionOffset);
        Assert.Empty(kit.Delivered());
        Assert.All(kit.Harness.All, store => Assert.Empty(store.PendingTransactions()));
    }

    [Fact]
    public async Task Two_commits_of_one_transaction_in_the_log_make_the_message_visible_once()
    {
        await using var kit = new TransactionKit();
        var half = await kit.PrepareAsync("twice");
        var store = kit.Harness.Leader;
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        Assert.True(store.TryReadMessage(half.CommitLogOffset, buffer));
        byte[] commit = RaftMq.Broker.Processors.Transaction.HalfMessages.Committed(StoredMessageView.Read(buffer.WrittenSpan), half.CommitLogOffset, 1, BrokerTestKitHost)!;

        var first = await store.EndTransactionWithRecordAsync(commit);
        var second = await store.EndTransactionWithRecordAsync(commit);

        Assert.Equal((StoreStatus.Ok, true), (first.Status, first.Ended));
        Assert.Equal((StoreStatus.Ok, false), (second.Status, second.Ended));
        Assert.Single(kit.Delivered());
    }

    private static readonly MessageHost BrokerTestKitHost = Processors.BrokerTestKit.StoreHost;

    private sealed class PendingComparer : IEqualityComparer<RaftMq.Broker.Store.Transactions.PendingTransaction>
    {
        public static readonly PendingComparer Instance = new();

        public bool Equals(RaftMq.Broker.Store.Transactions.PendingTransaction? x, RaftMq.Broker.Store.Transactions.PendingTransaction? y) =>
            x is not null && y is not null && x with { Copies = [] } == y with { Copies = [] } && x.Copies.SequenceEqual(y.Copies);

        public int GetHashCode(RaftMq.Broker.Store.Transactions.PendingTransaction obj) => obj.HalfOffset.GetHashCode();
    }
}
