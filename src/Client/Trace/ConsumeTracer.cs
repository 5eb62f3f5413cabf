using RaftMq.Protocol.Messages;

namespace RaftMq.Client.Trace;

/// <summary>RocketMQ's ConsumeReturnType ordinals, the SubAfter record's context code.</summary>
internal enum ConsumeReturnType
{
    Success = 0,
    TimeOut = 1,
    Exception = 2,
    ReturnNull = 3,
    Failed = 4,
}

/// <summary>One handler call being traced: pairs its SubBefore records with the SubAfter records written after it.</summary>
internal sealed record ConsumeTraceContext(string RequestId, long StartedTimestamp, IReadOnlyList<MessageExt> Messages, int BatchSize);

/// <summary>
/// The consumer side of message trace (RocketMQ's ConsumeMessageTraceHookImpl): before the handler runs, one SubBefore
/// per message (consumer group, retry count, request id); after it returns, one SubAfter per message with the same request
/// id, the handler time divided by the batch size, whether it succeeded and how (<see cref="ConsumeReturnType"/>).
/// Messages whose producer set TRACE_ON=false are skipped.
/// </summary>
internal sealed class ConsumeTracer
{
    private readonly TraceDispatcher _dispatcher;
    private readonly string _consumerGroup;
    private readonly UniqueMessageIdGenerator _requestIds;
    private readonly TimeProvider _time;

    public ConsumeTracer(TraceDispatcher dispatcher, string consumerGroup, UniqueMessageIdGenerator requestIds, TimeProvider time)
    {
        _dispatcher = dispatcher;
        _consumerGroup = consumerGroup;
        _requestIds = requestIds;
        _time = time;
    }

    /// <summary>Writes the SubBefore records; null when no message of the batch is traced.</summary>
    public ConsumeTraceContext? Before(IReadOnlyList<MessageExt> messages)
    {
        var traced = new List<MessageExt>(messages.Count);
        foreach (var message in messages)
        {
            if (message.GetProperty(MessageProperty.TraceSwitch) != "false") traced.Add(message);
        }
        if (traced.Count == 0) return null;
        var context = new ConsumeTraceContext(_requestIds.Next(), _time.GetTimestamp(), traced, messages.Count);
        long now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var message in traced)
        {
            _dispatcher.Append(new TraceRecord
            {
                Type = TraceType.SubBefore,
                Timestamp = now,
                RegionId = message.GetProperty(MessageProperty.MsgRegion) ?? TraceNames.DefaultRegion,
                GroupName = _consumerGroup,
                RequestId = context.RequestId,
                MsgId = message.MsgId,
                RetryTimes = message.ReconsumeTimes,
                Keys = message.Keys,
                Topic = message.Topic,
            });
        }
        return context;
    }

    /// <summary>Writes the SubAfter records of a handler call begun with <see cref="Before"/>.</summary>
    public void After(ConsumeTraceContext? context, bool success, ConsumeReturnType returnType)
    {
        if (context is null) return;
        long costMs = (long)_time.GetElapsedTime(context.StartedTimestamp).TotalMilliseconds / context.BatchSize;
        long now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var message in context.Messages)
        {
            _dispatcher.Append(new TraceRecord
            {
                Type = TraceType.SubAfter,
                Timestamp = now,
                GroupName = _consumerGroup,
                RequestId = context.RequestId,
                MsgId = message.MsgId,
                CostTime = (int)Math.Min(costMs, int.MaxValue),
                Success = success,
                Keys = message.Keys,
                ContextCode = (int)returnType,
                Topic = message.Topic,
            });
        }
    }
}
