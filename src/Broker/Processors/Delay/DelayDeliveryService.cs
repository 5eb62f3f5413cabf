using System.Buffers;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using RaftMq.Broker.Processors.Send;
using RaftMq.Broker.Store;
using RaftMq.Foundation.Background;
using RaftMq.Protocol.Messages;

namespace RaftMq.Broker.Processors.Delay;

/// <summary>
/// RocketMQ's ScheduleMessageService on the Raft log. On the writable leader only, each delay level's
/// <c>SCHEDULE_TOPIC_XXXX</c> queue is read from its progress; a message whose store time plus the level's delay has
/// passed is written again into REAL_TOPIC/REAL_QID (DELAY removed, new store time, same UNIQ_KEY and body) carrying
/// RMQ_SCHEDULED_FROM. Applying that copy advances the level's progress on every replica, so progress is exactly what
/// the log committed: a new leader resumes after the last committed re-delivery. A message whose delivery time
/// (<c>__STARTDELIVERTIME</c>) is still ahead goes on to the level that fits the time left instead, until it is due.
/// One level delivers in order: its due messages go out in one write of contiguous entries, whatever their real
/// queues, so whatever part of a write commits is a prefix and progress never skips a message. A failed write
/// (leadership lost, unknown outcome) pauses the level and it retries from the applied progress, so a message is
/// re-delivered at least once.
/// </summary>
public sealed class DelayDeliveryService : IAsyncDisposable
{
    /// <summary>Due messages of one level go out in one write of at most this many.</summary>
    private const int MaxPerWrite = 64;

    private const int MaxReadBytes = 8 * 1024 * 1024;

    private readonly IMessageStore _store;
    private readonly ProcessorOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly long[] _pausedUntil;
    private BackgroundLoop? _loop;

    public DelayDeliveryService(IMessageStore store, ProcessorOptions options, TimeProvider time, ILogger logger)
    {
        _store = store;
        _options = options;
        _time = time;
        _logger = logger;
        _pausedUntil = new long[options.DelayLevels.MaxLevel + 1];
    }

    /// <summary>How often due messages are looked for (RocketMQ: 100 ms per level).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How long a level waits after a failed re-delivery.</summary>
    public TimeSpan RetryPause { get; init; } = TimeSpan.FromSeconds(1);

    public void Start() => _loop = BackgroundLoop.Start(
        new BackgroundLoopOptions { Name = "delay-level delivery", Period = PollInterval, TimeProvider = _time },
        async stopping => await DeliverDueAsync(stopping).ConfigureAwait(false),
        _logger);

    public async Task StopAsync()
    {
        if (_loop is not null) await _loop.DisposeAsync().ConfigureAwait(false);
        _loop = null;
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    /// <summary>One pass over every level: re-delivers what is due. Returns how many messages were re-delivered.</summary>
    public async Task<int> DeliverDueAsync(CancellationToken cancellationToken)
    {
        if (!_store.IsWritable) return 0;
        var levels = new Task<int>[_options.DelayLevels.MaxLevel];
        for (int level = 1; level <= levels.Length; level++) levels[level - 1] = DeliverLevelAsync(level, cancellationToken);
        int delivered = 0;
        foreach (int count in await Task.WhenAll(levels).ConfigureAwait(false)) delivered += count;
        return delivered;
    }

    private async Task<int> DeliverLevelAsync(int level, CancellationToken cancellationToken)
    {
        long now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        if (Volatile.Read(ref _pausedUntil[level]) > now) return 0;
        int queueId = DelayLevels.ScheduleQueueOf(level);
        long delayMs = (long)_options.DelayLevels.DelayOf(level).TotalMilliseconds;
        var buffer = new ArrayBufferWriter<byte>(4096);
        int delivered = 0;
        while (_store.IsWritable && !cancellationToken.IsCancellationRequested)
        {
            long offset = Math.Max(_store.GetScheduleProgress(queueId), _store.GetMinOffset(SystemNames.ScheduleTopic, queueId));
            if (offset >= _store.GetMaxOffset(SystemNames.ScheduleTopic, queueId)) break;
            buffer.ResetWrittenCount();
            var read = _store.GetMessages(SystemNames.ScheduleTopic, queueId, offset, MaxPerWrite, MaxReadBytes, null, buffer);
            var step = read.Status == GetStatus.Found ? Prepare(buffer.WrittenSpan, queueId, delayMs) : new Step(StepKind.Unreadable);
            if (step.Kind == StepKind.NotDue) break;
            if (step.Kind != StepKind.Ready)
            {
                Pause(level, $"schedule queue {queueId} offset {offset} cannot be re-delivered ({step.Kind}, read {read.Status})");
                break;
            }
            var status = await step.Records!.PutRecordsAndReturnAsync(_store, cancellationToken).ConfigureAwait(false);
            if (status != StoreStatus.Ok)
            {
                Pause(level, $"re-delivery of schedule queue {queueId} offset {offset} ended {status}");
                break;
            }
            delivered += step.Records!.Count;
            if (_store.GetScheduleProgress(queueId) <= step.LastOffset)
            {
                // Applying the copies must have moved the progress; never loop re-delivering the same messages.
                Pause(level, $"re-delivered schedule queue {queueId} up to offset {step.LastOffset} but its progress did not advance");
                break;
            }
        }
        return delivered;
    }

    /// <summary>
    /// Copies of the leading due messages of <paramref name="records"/> (read from the level's progress), each for its
    /// real queue; NotDue when the first is not due yet.
    /// </summary>
    private Step Prepare(ReadOnlySpan<byte> records, int queueId, long delayMs)
    {
        long now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        RecordBatch? batch = null;
        long lastOffset = -1;
        foreach (var message in StoredMessageView.ReadAll(records))
        {
            if (message.StoreTimestamp + delayMs > now) break;
            var properties = MessageProperties.Parse(message.PropertiesUtf8);
            string? realTopic = properties[MessageProperty.RealTopic];
            if (string.IsNullOrEmpty(realTopic)
                || !int.TryParse(properties[MessageProperty.RealQueueId], NumberStyles.None, CultureInfo.InvariantCulture, out int realQueue))
            {
                if (batch is not null) break; // it heads the next write and stops the level there
                // Only this broker writes schedule queues, always with both properties; a record without them cannot be
                // delivered anywhere, so it stays where it is and holds up its level until an operator looks.
                LogMessages.ScheduledMessageUndeliverable(_logger, queueId, message.QueueOffset);
                return new Step(StepKind.Undeliverable);
            }
            // A delivery time still ahead (__STARTDELIVERTIME) sends it on to the next level instead: it hops until due.
            int hop = properties.TryGetValue(MessageProperty.StartDeliverTime, out string? deliverAt)
                ? _options.DelayLevels.LevelForDeliveryTime(deliverAt, now)
                : 0;
            var destination = new Destination(realTopic, realQueue, hop);
            destination.Describe(properties);
            properties.Set(MessageProperty.ScheduledFrom, string.Create(CultureInfo.InvariantCulture, $"{queueId},{message.QueueOffset}"));
            var fields = message.Fields with
            {
                QueueId = destination.StoreQueueId,
                QueueOffset = 0,
                PhysicalOffset = 0,
                StoreTimestamp = now,
                StoreHost = _options.StoreHost,
                PreparedTransactionOffset = 0, // a delivered copy never ends a transaction (docs/transactions.md)
            };
            batch ??= RecordBatch.Rent();
            MessageRecordWriter.AppendVerbatim(batch, fields, message.Body, destination.StoreTopic, Encoding.UTF8.GetBytes(MessageProperties.Encode(properties)));
            lastOffset = message.QueueOffset;
            if (batch.Count == MaxPerWrite) break;
        }
        return batch is null ? new Step(StepKind.NotDue) : new Step(StepKind.Ready, batch, lastOffset);
    }

    private void Pause(int level, string reason)
    {
        Volatile.Write(ref _pausedUntil[level], _time.GetUtcNow().ToUnixTimeMilliseconds() + (long)RetryPause.TotalMilliseconds);
        LogMessages.DelayLevelPaused(_logger, level, reason, RetryPause);
    }

    private enum StepKind : byte
    {
        Ready,
        NotDue,
        Unreadable,
        Undeliverable,
    }

    /// <summary>What to do with the head of a schedule queue; when Ready, the encoded copies and the schedule queue
    /// offset of the last one.</summary>
    private readonly record struct Step(StepKind Kind, RecordBatch? Records = null, long LastOffset = -1);
}
