using System.Buffers;
using Microsoft.Extensions.Logging;
using RaftMq.Broker.Clients;
using RaftMq.Broker.Store.Transactions;
using RaftMq.Broker.Store;
using RaftMq.Foundation.Background;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Frames;
using RaftMq.Protocol.Headers;
using RaftMq.Protocol.Messages;

namespace RaftMq.Broker.Processors.Transaction;

/// <summary>
/// RocketMQ's TransactionalMessageCheckService on the Raft log, run by the writable leader only. It walks the pending
/// transactions the store derived from the log. A due one (first: transactionTimeOut or its
/// CHECK_IMMUNITY_TIME_IN_SECONDS after it was stored; then every transactionCheckInterval) gets a copy written back
/// into the half queue with TRANSACTION_CHECK_TIMES + 1, and once that copy is committed the producer group is asked
/// with CHECK_TRANSACTION_STATE (39) about it. The check count and time are thus in the log: a new leader continues
/// where the old one stopped. After transactionCheckMax checks the half message is discarded to
/// TRANS_CHECK_MAX_TIME_TOPIC. A check is made (and counted) only while a producer of the group is connected.
/// A pending one whose newest copy nears retention is copied forward unchanged.
/// </summary>
public sealed class TransactionCheckService : IAsyncDisposable
{
    /// <summary>Transactions handled per pass at most, so that one pass stays short.</summary>
    private const int MaxPerPass = 256;

    private readonly IMessageStore _store;
    private readonly ClientRegistry _clients;
    private readonly TopicManager _topics;
    private readonly ProcessorOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TransactionMetrics _metrics;
    private BackgroundLoop? _loop;
    private int _nextChannel;

    internal TransactionCheckService(IMessageStore store, ClientRegistry clients, TopicManager topics, ProcessorOptions options, TimeProvider time, ILogger logger,
        TransactionMetrics metrics)
    {
        _store = store;
        _clients = clients;
        _topics = topics;
        _options = options;
        _time = time;
        _logger = logger;
        _metrics = metrics;
    }

    /// <summary>How often pending transactions are looked at: a quarter of the shorter of timeout and interval, within [100 ms, 1 s].</summary>
    public TimeSpan PollInterval => TimeSpan.FromMilliseconds(Math.Clamp(
        Math.Min(_options.TransactionTimeout.TotalMilliseconds, _options.TransactionCheckInterval.TotalMilliseconds) / 4, 100, 1000));

    public void Start() => _loop = BackgroundLoop.Start(
        new BackgroundLoopOptions { Name = "transaction check", Period = PollInterval, TimeProvider = _time },
        async stopping =>
        {
            if (_store.IsWritable) await CheckDueAsync(stopping).ConfigureAwait(false);
        },
        _logger);

    public async Task StopAsync()
    {
        if (_loop is not null) await _loop.DisposeAsync().ConfigureAwait(false);
        _loop = null;
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    /// <summary>One pass: checks, discards or copies forward what is due. Returns how many transactions it acted on.</summary>
    public async Task<int> CheckDueAsync(CancellationToken cancellationToken)
    {
        int acted = 0;
        foreach (var pending in _store.PendingTransactions())
        {
            if (!_store.IsWritable || acted == MaxPerPass || cancellationToken.IsCancellationRequested) break;
            long now = _time.GetUtcNow().ToUnixTimeMilliseconds();
            var action = ActionFor(pending, now);
            if (action == CheckAction.None) continue;
            var (done, problem) = await ActAsync(pending, action, now, cancellationToken).ConfigureAwait(false);
            if (problem is not null)
            {
                LogMessages.CheckPassStopped(_logger, pending.HalfOffset, problem);
                break;
            }
            if (done) acted++;
        }
        return acted;
    }

    private CheckAction ActionFor(PendingTransaction pending, long now)
    {
        long firstCheckAfter = pending.CheckImmunitySeconds > 0
            ? pending.CheckImmunitySeconds * 1000L
            : (long)_options.TransactionTimeout.TotalMilliseconds;
        bool due = pending.CheckTimes == 0
            ? now - pending.PreparedAtMs >= firstCheckAfter
            : now - pending.LastStoredAtMs >= (long)_options.TransactionCheckInterval.TotalMilliseconds;
        if (due) return pending.CheckTimes >= _options.TransactionCheckMax ? CheckAction.Discard : CheckAction.Check;
        return now - pending.LastStoredAtMs >= (long)_options.HalfMessageRefreshAge.TotalMilliseconds ? CheckAction.CopyForward : CheckAction.None;
    }

    private async Task<(bool Done, string? Problem)> ActAsync(PendingTransaction pending, CheckAction action, long now, CancellationToken cancellationToken)
    {
        if (action == CheckAction.Check && _clients.ProducerChannels(pending.ProducerGroup).Count == 0)
        {
            // Nobody to ask: the check waits (uncounted) for a producer of the group to connect, e.g. after a failover.
            LogMessages.NoProducerToCheck(_logger, pending.HalfOffset, pending.ProducerGroup, pending.CheckTimes + 1);
            return (false, null);
        }
        int checkTimes = action == CheckAction.Check ? pending.CheckTimes + 1 : pending.CheckTimes;
        byte[]? record = BuildRecord(pending, action, checkTimes, now);
        if (record is null) return (false, $"its current copy at {pending.Current.PhysicalOffset} cannot be read");
        if (action == CheckAction.Discard)
        {
            // As RocketMQ: the discard topic exists (one queue), so operators can look at it like any other.
            var (topicStatus, _) = await _topics.EnsureGroupTopicAsync(SystemNames.TransactionCheckMaxTimeTopic, 1, cancellationToken).ConfigureAwait(false);
            if (topicStatus != StoreStatus.Ok) return (false, $"creating {SystemNames.TransactionCheckMaxTimeTopic} ended {topicStatus}");
            var ended = await _store.EndTransactionWithRecordAsync(record, cancellationToken).ConfigureAwait(false);
            if (ended.Status != StoreStatus.Ok) return (false, $"discarding it ended {ended.Status}");
            if (ended.Ended)
            {
                _metrics.Discarded();
                LogMessages.Discarded(_logger, pending.HalfOffset, pending.ProducerGroup, pending.UniqueKey, pending.CheckTimes);
            }
            return (true, null);
        }
        var put = await _store.PutMessagesAsync(SystemNames.TransactionHalfTopic, 0, [record], cancellationToken).ConfigureAwait(false);
        if (put.Status != StoreStatus.Ok) return (false, $"writing its {(action == CheckAction.Check ? "check" : "forward")} copy ended {put.Status}");
        if (action == CheckAction.CopyForward)
        {
            LogMessages.CopiedForward(_logger, pending.HalfOffset, _options.HalfMessageRefreshAge);
            return (true, null);
        }
        _metrics.Checked();
        SendCheck(pending, put.PhysicalOffset, put.QueueOffset, checkTimes);
        return (true, null);
    }

    /// <summary>The discarded copy, or the copy back into the half queue; null when the current copy cannot be read.</summary>
    private byte[]? BuildRecord(PendingTransaction pending, CheckAction action, int checkTimes, long now)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        if (!_store.TryReadMessage(pending.Current.PhysicalOffset, buffer) || !StoredMessageView.TryRead(buffer.WrittenSpan, out var current)) return null;
        return action == CheckAction.Discard
            ? HalfMessages.Discarded(current, pending.HalfOffset, now, _options.StoreHost)
            : HalfMessages.CheckedCopy(current, pending.HalfOffset, checkTimes, now, _options.StoreHost);
    }

    /// <summary>Asks one open connection of the producer group (round robin) about the copy just written; oneway.</summary>
    private void SendCheck(PendingTransaction pending, long copyOffset, long copyQueueOffset, int checkTimes)
    {
        var channels = _clients.ProducerChannels(pending.ProducerGroup);
        if (channels.Count == 0) return; // it left since the copy was written; the next check asks whoever is there
        var buffer = new ArrayBufferWriter<byte>(4096);
        byte[]? body = _store.TryReadMessage(copyOffset, buffer) && StoredMessageView.TryRead(buffer.WrittenSpan, out var copy)
            ? HalfMessages.CheckBody(copy)
            : null;
        if (body is null) return; // only this broker writes half messages, always with REAL_TOPIC/REAL_QID
        var channel = channels[(int)((uint)Interlocked.Increment(ref _nextChannel) % (uint)channels.Count)];
        var request = RemotingCommand.CreateRequest(RequestCode.CheckTransactionState);
        new CheckTransactionStateRequestHeader
        {
            TranStateTableOffset = copyQueueOffset,
            CommitLogOffset = copyOffset,
            MsgId = pending.UniqueKey,
            TransactionId = pending.UniqueKey,
            OffsetMsgId = OffsetMessageId.Create(_options.StoreHost, copyOffset),
        }.ToExtFields(request.ExtFields);
        request.Body = body;
        request.MarkOneway();
        if (channel.Connection!.TrySend(request)) LogMessages.CheckSent(_logger, pending.HalfOffset, pending.ProducerGroup, checkTimes, channel.ClientId);
    }

    private enum CheckAction : byte
    {
        None,
        Check,
        Discard,
        CopyForward,
    }
}
