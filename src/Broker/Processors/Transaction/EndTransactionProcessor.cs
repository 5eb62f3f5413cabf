using System.Buffers;
using System.Globalization;
using Microsoft.Extensions.Logging;
using RaftMq.Broker.Store;
using RaftMq.Broker.Store.Transactions;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Frames;
using RaftMq.Protocol.Headers;
using RaftMq.Protocol.Messages;
using RaftMq.Protocol.Remoting;

namespace RaftMq.Broker.Processors.Transaction;

/// <summary>
/// END_TRANSACTION (37): commit (8) writes the real message, rollback (12) a rollback record, unknown (0) leaves the
/// half message to the check service. The request names a copy of a pending half message by its physical offset
/// (commitLogOffset) and queue offset (tranStateTableOffset), with the producer group that prepared it; anything that
/// does not match, a transaction already ended, or another value gets SYSTEM_ERROR with the reason and changes
/// nothing. Whether an END takes effect is decided by applying it (the first outcome in log order wins), so two
/// racing ENDs never both commit. Java producers send it oneway: then nothing is answered and refusals are logged.
/// </summary>
public sealed class EndTransactionProcessor : IRemotingRequestHandler
{
    private readonly IMessageStore _store;
    private readonly ProcessorOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TransactionMetrics _metrics;

    internal EndTransactionProcessor(IMessageStore store, ProcessorOptions options, TimeProvider time, ILogger logger, TransactionMetrics metrics)
    {
        _store = store;
        _options = options;
        _time = time;
        _logger = logger;
        _metrics = metrics;
    }

    public async ValueTask<RemotingCommand?> HandleAsync(RemotingContext context, RemotingCommand request, CancellationToken cancellationToken)
    {
        var header = EndTransactionRequestHeader.FromExtFields(request.ExtFields);
        string fromCheck = header.FromTransactionCheck ? " (answering a check)" : "";
        if (!_store.IsWritable) return Answer(request, Responses.NotMaster(request, _options.BrokerName, _store.LeaderId));
        switch (header.CommitOrRollback)
        {
            case MessageSysFlag.TransactionNotType:
                LogMessages.EndUnknown(_logger, context.RemoteAddress, header.CommitLogOffset, fromCheck);
                return Answer(request, request.CreateResponse(ResponseCode.Success, "transaction state unknown: the half message stays pending and will be checked"));
            case MessageSysFlag.TransactionCommitType or MessageSysFlag.TransactionRollbackType:
                break;
            default:
                return Refuse(context, request, Text($"commitOrRollback {header.CommitOrRollback} is not 0 (unknown), 8 (commit) or 12 (rollback)"));
        }
        if (FindProblem(header, out var pending) is { } problem) return Refuse(context, request, problem);
        bool commit = header.CommitOrRollback == MessageSysFlag.TransactionCommitType;
        TransactionEndResult result;
        if (commit)
        {
            byte[]? record = BuildCommitted(header.CommitLogOffset, pending!.HalfOffset);
            if (record is null) return Refuse(context, request, Text($"the half message at commitLogOffset {header.CommitLogOffset} cannot be read or has no valid REAL_TOPIC/REAL_QID"));
            result = await _store.EndTransactionWithRecordAsync(record, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            result = await _store.RollbackTransactionAsync(pending!.HalfOffset, cancellationToken).ConfigureAwait(false);
        }
        if (result.Status != StoreStatus.Ok)
        {
            return Answer(request, Responses.FromStoreStatus(request, result.Status, _options.BrokerName, result.LeaderId, "end transaction"));
        }
        if (!result.Ended) return Refuse(context, request, Text($"the transaction of half message {pending.HalfOffset} ended meanwhile (another END or a discard came first)"));
        _metrics.Ended(commit);
        LogMessages.TransactionEnded(_logger, pending.HalfOffset, pending.ProducerGroup, pending.UniqueKey, commit ? "committed" : "rolled back", fromCheck);
        return Answer(request, request.CreateResponse(ResponseCode.Success));
    }

    /// <summary>Null when the header names a copy of a pending half message of its producer group, else why not.</summary>
    private string? FindProblem(EndTransactionRequestHeader header, out PendingTransaction? pending)
    {
        pending = _store.FindPendingTransaction(header.CommitLogOffset);
        if (pending is null)
        {
            return IsHalfMessage(header.CommitLogOffset)
                ? Text($"the transaction of the half message at commitLogOffset {header.CommitLogOffset} already ended (committed, rolled back or discarded)")
                : Text($"no half message at commitLogOffset {header.CommitLogOffset}");
        }
        if (!string.Equals(pending.ProducerGroup, header.ProducerGroup, StringComparison.Ordinal))
        {
            return $"the producer group is wrong: half message {header.CommitLogOffset} belongs to {pending.ProducerGroup}, not {header.ProducerGroup}";
        }
        long queueOffset = pending.QueueOffsetOf(header.CommitLogOffset);
        return queueOffset == header.TranStateTableOffset
            ? null
            : Text($"the tranStateTableOffset is wrong: half message {header.CommitLogOffset} has queue offset {queueOffset}, not {header.TranStateTableOffset}");
    }

    private bool IsHalfMessage(long physicalOffset)
    {
        if (physicalOffset <= 0) return false;
        var buffer = new ArrayBufferWriter<byte>(1024);
        return _store.TryReadMessage(physicalOffset, buffer)
               && StoredMessageView.TryRead(buffer.WrittenSpan, out var view)
               && view.TopicUtf8.SequenceEqual("RMQ_SYS_TRANS_HALF_TOPIC"u8);
    }

    private byte[]? BuildCommitted(long copyOffset, long halfOffset)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        if (!_store.TryReadMessage(copyOffset, buffer) || !StoredMessageView.TryRead(buffer.WrittenSpan, out var half)) return null;
        return HalfMessages.Committed(half, halfOffset, _time.GetUtcNow().ToUnixTimeMilliseconds(), _options.StoreHost);
    }

    private RemotingCommand? Refuse(RemotingContext context, RemotingCommand request, string reason)
    {
        _metrics.Refused();
        LogMessages.EndRefused(_logger, context.RemoteAddress, reason);
        return Answer(request, request.CreateResponse(ResponseCode.SystemError, reason + "; nothing was changed"));
    }

    private static RemotingCommand? Answer(RemotingCommand request, RemotingCommand response) => request.IsOneway ? null : response;

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
