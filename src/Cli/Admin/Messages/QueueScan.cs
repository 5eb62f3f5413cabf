using RaftMq.Client;
using RaftMq.Client.Admin;
using RaftMq.Client.Consumer;
using RaftMq.Protocol.Bodies;

namespace RaftMq.Cli.Admin.Messages;

/// <summary>
/// Reads a queue between two offsets the way mqadmin's printMsg, printMsgByQueue and consumeMessage do: the range is
/// the queue's [min, max) unless times narrow it (each time becomes the first offset stored at or after it), then
/// pulls of at most 32 messages with the tag expression until the end of the range or of the queue.
/// </summary>
internal sealed class QueueScan
{
    private const int PullBatch = 32;

    public required MessageQueue Queue { get; init; }

    /// <summary>First offset read.</summary>
    public required long From { get; init; }

    /// <summary>Offset the scan stops before.</summary>
    public required long To { get; init; }

    /// <summary>Group the pulls name (null: the admin client's tools group).</summary>
    public string? ConsumerGroup { get; init; }

    /// <summary>The queue's range narrowed by the times (ms since 1970), as mqadmin computes it.</summary>
    public static async Task<QueueScan> PlanAsync(MQAdminClient admin, MessageQueue queue, long? beginMs, long? endMs, CancellationToken cancellationToken)
    {
        var offsets = await admin.GetQueueOffsetsAsync(queue, cancellationToken).ConfigureAwait(false);
        long from = beginMs is { } begin ? await admin.SearchOffsetAsync(queue, begin, cancellationToken).ConfigureAwait(false) : offsets.MinOffset;
        long to = endMs is { } end ? await admin.SearchOffsetAsync(queue, end, cancellationToken).ConfigureAwait(false) : offsets.MaxOffset;
        return new QueueScan { Queue = queue, From = Math.Max(from, offsets.MinOffset), To = Math.Min(to, offsets.MaxOffset) };
    }

    /// <summary>Pulls the range; <paramref name="onBatch"/> sees each pull's status, the offset after it, and the messages in range.</summary>
    public async Task RunAsync(MQAdminClient admin, string? tagExpression, Func<PullStatus, long, IReadOnlyList<MessageExt>, Task> onBatch, CancellationToken cancellationToken)
    {
        long offset = From;
        while (offset < To)
        {
            int batch = (int)Math.Min(PullBatch, To - offset);
            var pulled = await admin.PullAsync(Queue, tagExpression, offset, batch, ConsumerGroup, cancellationToken).ConfigureAwait(false);
            long next = pulled.NextBeginOffset;
            var inRange = pulled.Messages.Where(m => m.QueueOffset < To).ToList();
            await onBatch(pulled.Status, next, inRange).ConfigureAwait(false);
            if (pulled.Status is PullStatus.NoNewMessage or PullStatus.OffsetIllegal || next <= offset) return;
            offset = next;
        }
    }
}
