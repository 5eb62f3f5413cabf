using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Headers;
using RaftMq.Protocol.Messages;
using static RaftMq.Broker.Tests.Transactions.TransactionKit;

namespace RaftMq.Broker.Tests.Transactions;

/// <summary>END_TRANSACTION over the real store: commit shows the message once, rollback never, bad ENDs change nothing.</summary>
public sealed class EndTransactionTests
{
    [Fact]
    public async Task Commit_makes_the_real_message_visible_once_on_every_replica_with_the_producers_properties()
    {
        await using var kit = new TransactionKit();
        var (offset, queueOffset) = await kit.PrepareAsync("order-1", extraProperties: "KEYS\u0001k1");
        Assert.Empty(kit.Delivered());

        var response = await kit.InvokeAsync(End(offset, queueOffset, MessageSysFlag.TransactionCommitType));

        Assert.Equal(ResponseCode.Success, response.Code);
        var message = Assert.Single(kit.Delivered());
        Assert.Equal("order-1-id", message.MsgId);
        Assert.Equal("k1", message.Properties[MessageProperty.Keys]);
        Assert.Null(message.Properties[MessageProperty.TransactionPrepared]);
        Assert.Null(message.Properties[MessageProperty.RealTopic]);
        Assert.Equal(offset, message.PreparedTransactionOffset);
        Assert.All(kit.Harness.All, store => Assert.Empty(store.PendingTransactions()));
    }

    [Fact]
    public async Task Rollback_never_shows_the_message_and_ends_the_transaction()
    {
        await using var kit = new TransactionKit();
        var (offset, queueOffset) = await kit.PrepareAsync();

        var response = await kit.InvokeAsync(End(offset, queueOffset, MessageSysFlag.TransactionRollbackType));

        Assert.Equal(ResponseCode.Success, response.Code);
        Assert.Empty(kit.Delivered());
        Assert.All(kit.Harness.All, store => Assert.Empty(store.PendingTransactions()));
    }

    [Theory]
    [InlineData(MessageSysFlag.TransactionCommitType, MessageSysFlag.TransactionCommitType)]
    [InlineData(MessageSysFlag.TransactionCommitType, MessageSysFlag.TransactionRollbackType)]
    [InlineData(MessageSysFlag.TransactionRollbackType, MessageSysFlag.TransactionCommitType)]
    public async Task A_second_end_is_refused_and_changes_nothing(int first, int second)
    {
        await using var kit = new TransactionKit();
        var (offset, queueOffset) = await kit.PrepareAsync();
        Assert.Equal(ResponseCode.Success, (await kit.InvokeAsync(End(offset, queueOffset, first))).Code);
        int delivered = kit.Delivered().Count;

        var response = await kit.InvokeAsync(End(offset, queueOffset, second));

        Assert.Equal(ResponseCode.SystemError, response.Code);
        Assert.Contains("already ended", response.Remark);
        Assert.Equal(delivered, kit.Delivered().Count);
    }

    [Fact]
    public async Task Ends_for_an_unknown_offset_a_wrong_group_a_wrong_queue_offset_or_a_bad_value_are_refused_and_change_nothing()
    {
        await using var kit = new TransactionKit();
        var (offset, queueOffset) = await kit.PrepareAsync();
        var plain = await kit.InvokeAsync(Processors.BrokerTestKit.SendV2("T", [1], properties: null));
        long plainOffset = OffsetMessageId.Decode(SendMessageResponseHeader.FromExtFields(plain.ExtFields).MsgId).PhysicalOffset;

        var refusals = new (RemotingCommandFactory Request, string Reason)[]
        {
            (() => End(offset + 1, queueOffset, MessageSysFlag.TransactionCommitType), "no half message"),
            (() => End(plainOffset, 0, MessageSysFlag.TransactionCommitType), "no half message"),
            (() => End(offset, queueOffset, MessageSysFlag.TransactionCommitType, group: "OtherGroup"), "producer group is wrong"),
            (() => End(offset, queueOffset + 5, MessageSysFlag.TransactionRollbackType), "tranStateTableOffset is wrong"),
            (() => End(offset, queueOffset, 5), "is not 0 (unknown), 8 (commit) or 12 (rollback)"),
        };
        foreach (var (request, reason) in refusals)
        {
            var response = await kit.InvokeAsync(request());
            Assert.Equal(ResponseCode.SystemError, response.Code);
            Assert.Contains(reason, response.Remark);
            Assert.Contains("nothing was changed", response.Remark);
        }
        var unknown = await kit.InvokeAsync(End(offset, queueOffset, MessageSysFlag.TransactionNotType));
        Assert.Equal(ResponseCode.Success, unknown.Code);

        Assert.Single(kit.Delivered()); // only the plain message
        Assert.All(kit.Harness.All, store => Assert.Equal(offset, Assert.Single(store.PendingTransactions()).HalfOffset));
        Assert.Equal(ResponseCode.Success, (await kit.InvokeAsync(End(offset, queueOffset, MessageSysFlag.TransactionCommitType))).Code);
        Assert.Equal(2, kit.Delivered().Count);
    }

    [Fact]
    public async Task A_follower_answers_not_master_and_changes_nothing()
    {
        await using var kit = new TransactionKit();
        var (offset, queueOffset) = await kit.PrepareAsync();
        kit.Harness.Group.ElectLeader("n1");

        var response = await kit.InvokeAsync(End(offset, queueOffset, MessageSysFlag.TransactionCommitType));

        Assert.Equal(ResponseCode.ServiceNotAvailable, response.Code);
        Assert.Contains("not master", response.Remark);
        kit.Harness.Group.CatchUpAll();
        Assert.All(kit.Harness.All, store => Assert.Single(store.PendingTransactions()));
    }

    private delegate RaftMq.Protocol.Frames.RemotingCommand RemotingCommandFactory();
}
