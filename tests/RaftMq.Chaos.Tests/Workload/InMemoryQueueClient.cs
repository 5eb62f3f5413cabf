using RaftMq.Chaos.History;
using RaftMq.Chaos.Workload;

namespace RaftMq.Chaos.Tests.Workload;

/// <summary>What the fake broker does wrong with one send (to plant anomalies end to end).</summary>
public enum FakeSendFault
{
    None,

    /// <summary>Acknowledges at the next offset but never stores the message: a lost write.</summary>
    AckButLose,

    /// <summary>Stores two copies and acknowledges the second: an unexplained duplicate.</summary>
    StoreTwice,

    /// <summary>Stores it, then reports a definite failure: a failed write made visible.</summary>
    StoreButReportFail,

    /// <summary>Stores it, then reports a timeout: allowed (info).</summary>
    StoreButReportInfo,

    /// <summary>Never answers until the caller gives up.</summary>
    Hang,
}

/// <summary>
/// A correct in-memory broker (one group, <c>queueCount</c> queues, keys hashed to queues) unless
/// <see cref="Faults"/> says otherwise. Consumer i of n reads queues q with q % n == i from offset 0.
/// </summary>
internal sealed class InMemoryQueueClient(int consumers, int queueCount = 4) : IQueueClient
{
    public const string Broker = "RaftNode00";

    private readonly List<ChaosMessage>[] _queues = [.. Enumerable.Range(0, queueCount).Select(_ => new List<ChaosMessage>())];
    private readonly Lock _lock = new();

    public Func<ChaosMessage, FakeSendFault> Faults { get; init; } = _ => FakeSendFault.None;

    public async Task<SendResult> SendAsync(ChaosMessage message, CancellationToken cancellationToken)
    {
        var fault = Faults(message);
        if (fault == FakeSendFault.Hang)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        var queueId = QueueOf(message.Key);
        long offset;
        lock (_lock)
        {
            var queue = _queues[queueId];
            offset = queue.Count;
            if (fault != FakeSendFault.AckButLose)
            {
                queue.Add(message);
            }

            if (fault == FakeSendFault.StoreTwice)
            {
                queue.Add(message);
                offset++;
            }
        }

        return fault switch
        {
            FakeSendFault.StoreButReportFail => SendResult.Fail("connection refused"),
            FakeSendFault.StoreButReportInfo => SendResult.Info("timeout"),
            _ => SendResult.Ok(new QueuePosition(Broker, queueId, offset), $"msg-{message.PayloadId}"),
        };
    }

    public async Task ConsumeAsync(string consumerId, Func<ReceivedMessage, ValueTask> onMessage, CancellationToken cancellationToken)
    {
        var index = int.Parse(consumerId.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture);
        var mine = Enumerable.Range(0, queueCount).Where(q => q % consumers == index).ToArray();
        var next = new long[queueCount];
        while (!cancellationToken.IsCancellationRequested)
        {
            var delivered = false;
            foreach (var queueId in mine)
            {
                ChaosMessage? message = null;
                lock (_lock)
                {
                    if (next[queueId] < _queues[queueId].Count)
                    {
                        message = _queues[queueId][(int)next[queueId]];
                    }
                }

                if (message is not null)
                {
                    await onMessage(new ReceivedMessage(message.PayloadId, message.Key, message.Seq, new QueuePosition(Broker, queueId, next[queueId]++)));
                    delivered = true;
                }
            }

            if (!delivered)
            {
                await Task.Delay(1, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private int QueueOf(string key)
    {
        var hash = 17;
        foreach (var c in key)
        {
            hash = unchecked(hash * 31 + c);
        }

        return (int)((uint)hash % (uint)queueCount);
    }
}
