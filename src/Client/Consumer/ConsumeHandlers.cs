using RaftMq.Protocol.Bodies;

namespace RaftMq.Client.Consumer;

/// <summary>What a concurrent handler did with a batch.</summary>
public enum ConsumeResult
{
    /// <summary>Consumed; the offset moves past the batch.</summary>
    Success,

    /// <summary>Failed; every message goes back to the broker for later redelivery (clustering) or is dropped (broadcasting).</summary>
    ReconsumeLater,
}

/// <summary>What an orderly handler did with a batch.</summary>
public enum OrderlyConsumeResult
{
    /// <summary>Consumed; the next messages of the queue follow.</summary>
    Success,

    /// <summary>Failed; the same messages are handed over again after a pause, nothing behind them overtakes.</summary>
    SuspendCurrentQueueAMoment,
}

/// <summary>Where a batch comes from and how a failure should be retried.</summary>
public sealed class ConsumeContext
{
    internal ConsumeContext(MessageQueue queue, TimeSpan suspendTime)
    {
        Queue = queue;
        SuspendCurrentQueueTime = suspendTime;
    }

    /// <summary>The queue the messages were pulled from.</summary>
    public MessageQueue Queue { get; }

    /// <summary>Concurrent mode: delay level for redelivery after <see cref="ConsumeResult.ReconsumeLater"/>; 0 lets the broker choose (3 + reconsume times).</summary>
    public int DelayLevelWhenNextConsume { get; set; }

    /// <summary>Orderly mode: pause before the batch is handed over again after a suspend.</summary>
    public TimeSpan SuspendCurrentQueueTime { get; set; }
}

/// <summary>Handles messages of many queues in parallel (no order between messages).</summary>
public delegate ValueTask<ConsumeResult> ConcurrentMessageHandler(
    IReadOnlyList<MessageExt> messages, ConsumeContext context, CancellationToken cancellationToken);

/// <summary>Handles the messages of each queue one batch at a time, in queue order.</summary>
public delegate ValueTask<OrderlyConsumeResult> OrderlyMessageHandler(
    IReadOnlyList<MessageExt> messages, ConsumeContext context, CancellationToken cancellationToken);
