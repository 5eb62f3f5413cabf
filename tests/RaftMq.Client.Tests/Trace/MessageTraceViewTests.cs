using RaftMq.Client.Consumer;
using RaftMq.Client.Producer;
using RaftMq.Client.Trace;

namespace RaftMq.Client.Tests.Trace;

/// <summary>Assembling one message's life from trace records of several trace messages.</summary>
public sealed class MessageTraceViewTests
{
    private static TraceRecord Before(string requestId, string msgId, string group, int retry, long at) => new()
    {
        Type = TraceType.SubBefore, RequestId = requestId, MsgId = msgId, GroupName = group, RetryTimes = retry, Timestamp = at,
    };

    private static TraceRecord After(string requestId, string msgId, bool success, int code, int cost) => new()
    {
        Type = TraceType.SubAfter, RequestId = requestId, MsgId = msgId, Success = success, ContextCode = code, CostTime = cost,
    };

    [Fact]
    public void Deliveries_pair_before_and_after_by_request_id_in_retry_order_and_other_messages_are_ignored()
    {
        var pub = new TraceRecord { Type = TraceType.Pub, MsgId = "M", GroupName = "PG", StoreHost = "b:1", CostTime = 3, Success = true, Timestamp = 10 };
        var records = new (TraceRecord, string)[]
        {
            (After("r2", "M", true, 0, 4), "c:2"),
            (Before("r2", "M", "CG", 1, 2000), "c:2"),
            (pub, "p:1"),
            (Before("r1", "M", "CG", 0, 1000), "c:1"),
            (After("r1", "M", false, 4, 9), "c:1"),
            (Before("r3", "M", "Other", 0, 1500), "c:3"),
            (Before("x", "N", "CG", 0, 1), "c:1"),
        };

        var view = MessageTraceView.Build("M", records);

        var send = Assert.Single(view.Sends);
        Assert.Equal(("PG", "p:1", "b:1", 3, true), (send.ProducerGroup, send.ClientHost, send.StoreHost, send.CostMs, send.Success));
        Assert.Equal(
            [("CG", 0, (bool?)false, "FAILED", (int?)9), ("Other", 0, null, null, null), ("CG", 1, true, "SUCCESS", 4)],
            view.Consumes.Select(c => (c.ConsumerGroup, c.RetryTimes, c.Success, c.ReturnType, c.CostMs)));
        Assert.False(view.IsEmpty);
        Assert.True(MessageTraceView.Build("unknown", records).IsEmpty);
    }

    [Fact]
    public void Customized_trace_topic_must_be_a_legal_topic_name()
    {
        var producer = new ProducerOptions { NameServerAddresses = ["127.0.0.1:9876"], EnableMsgTrace = true, CustomizedTraceTopic = "my trace" };
        var consumer = new PushConsumerOptions { NameServerAddresses = ["127.0.0.1:9876"], ConsumerGroup = "g", CustomizedTraceTopic = "" };

        Assert.Contains("CustomizedTraceTopic", Assert.Throws<ArgumentException>(producer.Validate).Message, StringComparison.Ordinal);
        Assert.Contains("CustomizedTraceTopic", Assert.Throws<ArgumentException>(consumer.Validate).Message, StringComparison.Ordinal);
        (producer with { CustomizedTraceTopic = "MY_TRACE" }).Validate();
    }

    [Fact]
    public void Transaction_ends_of_the_message_are_listed_in_time_order_and_alone_make_a_non_empty_view()
    {
        TraceRecord End(string msgId, string state, bool fromCheck, long at) => new()
        {
            Type = TraceType.EndTransaction, MsgId = msgId, GroupName = "PG", StoreHost = "b:1", TransactionState = state,
            FromTransactionCheck = fromCheck, TransactionId = "T", Timestamp = at,
        };

        var view = MessageTraceView.Build("M", [(End("M", "COMMIT_MESSAGE", true, 2000), "p:1"), (End("M", "UNKNOW", false, 1000), "p:1"),
            (End("N", "ROLLBACK_MESSAGE", false, 1500), "p:1")]);

        Assert.False(view.IsEmpty);
        Assert.Equal([("UNKNOW", false), ("COMMIT_MESSAGE", true)], view.TransactionEnds.Select(e => (e.State, e.FromTransactionCheck)));
        Assert.All(view.TransactionEnds, e => Assert.Equal(("PG", "p:1", "b:1", "T"), (e.ProducerGroup, e.ClientHost, e.StoreHost, e.TransactionId)));
    }
}
