using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using RaftMq.Client.Producer;
using RaftMq.Client.Trace;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Messages;

namespace RaftMq.Client.Tests.Trace;

/// <summary>What the send and consume hooks record (RocketMQ's SendMessageTraceHookImpl / ConsumeMessageTraceHookImpl).</summary>
public sealed class TraceHooksTests
{
    private readonly ConcurrentQueue<TraceRecord> _written = new();

    private TraceDispatcher Dispatcher() => new((body, _, _) =>
    {
        foreach (var record in TraceDataCodec.Decode(body)) _written.Enqueue(record);
        return Task.CompletedTask;
    }, new TraceDispatcherSettings { FlushTimeout = TimeSpan.FromSeconds(60) }, NullLogger.Instance);

    private static SendResult Result(string offsetIds, bool traceOn = true) => new()
    {
        Status = SendStatus.SendOk, MsgId = "ignored", OffsetMsgId = offsetIds, QueueOffset = 0, TraceOn = traceOn,
        Queue = new MessageQueue { Topic = "Orders", BrokerName = "b", QueueId = 0 }, RegionId = "DefaultRegion",
    };

    private static MessageExt Received(string msgId, int reconsumeTimes)
    {
        var message = new MessageExt { Topic = "Orders", ReconsumeTimes = reconsumeTimes };
        message.SetProperty(MessageProperty.UniqueClientMessageIdKeyIndex, msgId);
        return message;
    }

    [Fact]
    public async Task A_batch_send_writes_one_pub_per_message_with_its_own_offset_id_and_nothing_when_the_broker_says_trace_off()
    {
        var dispatcher = Dispatcher();
        var tracer = new SendTracer(dispatcher, "PG", SystemNames.TraceTopic);
        TracedMessage[] batch =
        [
            new("Orders", "M1", "TagA", "k1", 10, TraceMessageType.Normal),
            new("Orders", "M2", null, null, 20, TraceMessageType.Normal),
        ];

        tracer.OnSent(batch, "10.0.0.1:10911", Result("O1,O2"), startedUnixMs: 1000, costMs: 7);
        tracer.OnSent(batch, "10.0.0.1:10911", Result("O3,O4", traceOn: false), startedUnixMs: 2000, costMs: 7);
        await dispatcher.DisposeAsync();

        Assert.Equal([("M1", "O1", "TagA", 10), ("M2", "O2", "null", 20)], _written.Select(r => (r.MsgId, r.OffsetMsgId, r.Tags, r.BodyLength)));
        Assert.All(_written, r => Assert.Equal((TraceType.Pub, "PG", "10.0.0.1:10911", 7, 1000L, true), (r.Type, r.GroupName, r.StoreHost, r.CostTime, r.Timestamp, r.Success)));
        Assert.False(tracer.Traces(SystemNames.TraceTopic));
        Assert.True(tracer.Traces("Orders"));
    }

    [Fact]
    public async Task Consume_writes_sub_before_and_sub_after_sharing_a_request_id_and_skips_messages_with_trace_off()
    {
        var dispatcher = Dispatcher();
        var tracer = new ConsumeTracer(dispatcher, "CG", UniqueMessageIdGenerator.CreateDefault(), TimeProvider.System);
        var traced = Received("M1", reconsumeTimes: 2);
        var untraced = Received("M2", reconsumeTimes: 0);
        untraced.SetProperty(MessageProperty.TraceSwitch, "false");

        var context = tracer.Before([traced, untraced]);
        tracer.After(context, success: false, ConsumeReturnType.Failed);
        Assert.Null(tracer.Before([untraced]));
        await dispatcher.DisposeAsync();

        var records = _written.ToList();
        Assert.Equal([TraceType.SubBefore, TraceType.SubAfter], records.Select(r => r.Type));
        Assert.All(records, r => Assert.Equal(("M1", context!.RequestId), (r.MsgId, r.RequestId)));
        Assert.Equal(("CG", 2), (records[0].GroupName, records[0].RetryTimes));
        Assert.Equal((false, (int)ConsumeReturnType.Failed), (records[1].Success, records[1].ContextCode));
    }

    [Fact]
    public async Task An_ended_transaction_writes_an_end_transaction_record_with_the_decision_and_its_origin()
    {
        var dispatcher = Dispatcher();
        var tracer = new SendTracer(dispatcher, "PG", SystemNames.TraceTopic);
        var message = new Message("Orders", [1], "TagA", "k1");
        message.SetProperty(MessageProperty.MsgRegion, "eu-1");

        tracer.OnTransactionEnded(new EndedTransaction(message, "M1", "T1", "10.0.0.1:10911", LocalTransactionState.Unknown, false));
        tracer.OnTransactionEnded(new EndedTransaction(new Message("Orders", [1]), "M1", "T1", "10.0.0.2:10911",
            LocalTransactionState.RollbackMessage, true));
        tracer.OnTransactionEnded(new EndedTransaction(new Message(SystemNames.TraceTopic, [1]), "M2", "T2", "a", LocalTransactionState.CommitMessage, false));
        await dispatcher.DisposeAsync();

        var records = _written.ToList();
        Assert.Equal([("UNKNOW", false, "eu-1", "10.0.0.1:10911"), ("ROLLBACK_MESSAGE", true, TraceNames.DefaultRegion, "10.0.0.2:10911")],
            records.Select(r => (r.TransactionState, r.FromTransactionCheck, r.RegionId, r.StoreHost)));
        Assert.All(records, r => Assert.Equal((TraceType.EndTransaction, "PG", "Orders", "M1", "T1", 2), (r.Type, r.GroupName, r.Topic, r.MsgId, r.TransactionId, r.MessageType)));
        Assert.Equal(("TagA", "k1"), (records[0].Tags, records[0].Keys));
    }
}
