using System.Diagnostics;
using RaftMq.Consensus.Core;
using RaftMq.Consensus.Log;

namespace RaftMq.Consensus.Runtime;

/// <summary>The broker-facing API: append, reads of committed bytes, leadership transfer.</summary>
public sealed partial class RaftNode
{
    /// <summary>
    /// Proposes the payloads as contiguous entries. Completes with Committed once all are committed and applied
    /// (Result = the state machine's result for the first entry); NotLeader (with the leader when known) without
    /// appending; Busy when refused by back-pressure or a leadership transfer (safe to retry); Unknown when the
    /// entries were appended but the timeout passed or leadership changed first — they may still commit, so the
    /// caller must report neither success nor failure. Cancellation throws OperationCanceledException with the same
    /// meaning as Unknown. The payload memory must not be modified afterwards.
    /// </summary>
    public ValueTask<AppendOutcome> AppendAsync(IReadOnlyList<ReadOnlyMemory<byte>> payloads, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(payloads);
        if (payloads.Count == 0) throw new ArgumentException("at least one payload is required", nameof(payloads));
        if (timeout <= TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "must be positive or infinite");
        if (cancellationToken.IsCancellationRequested) return ValueTask.FromCanceled<AppendOutcome>(cancellationToken);
        var state = State;
        if (state.Role != RaftRole.Leader || HaltReason is not null) return ValueTask.FromResult(NotLeaderOutcome(state.LeaderId));

        var source = PendingAppend.Rent();
        short version = source.Version;
        if (cancellationToken.CanBeCanceled) source.WatchCancellation(cancellationToken);
        long now = Stopwatch.GetTimestamp();
        long deadline = timeout == Timeout.InfiniteTimeSpan ? long.MaxValue : now + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        if (!_inputs.Writer.TryWrite(NodeInput.ForProposal(payloads, source, version, now, deadline)))
        {
            source.TryComplete(version, HaltReason is null && !_stopping.IsCancellationRequested ? BusyOutcome : NotLeaderOutcome(null));
        }
        return new ValueTask<AppendOutcome>(source, version);
    }

    /// <summary>
    /// Copies committed bytes at global <paramref name="pos"/>. Thread-safe: the committed range only grows (Raft
    /// never truncates committed entries), and the log's own reader/writer lock orders this read against retention
    /// and snapshot installs, which make the range unavailable (false) rather than change it. A gate keeps reads off
    /// a log that is being closed.
    /// </summary>
    public bool TryReadCommitted(long pos, Span<byte> destination)
    {
        if (pos < 0 || pos > CommittedEndPos - destination.Length) return false;
        _readGate.EnterReadLock();
        try
        {
            return !_logClosed && _log.TryRead(pos, destination);
        }
        catch (LogCorruptedException)
        {
            return false;
        }
        finally
        {
            _readGate.ExitReadLock();
        }
    }

    public bool TransferLeadership(string targetId)
    {
        ArgumentNullException.ThrowIfNull(targetId);
        if (State.Role != RaftRole.Leader || HaltReason is not null || !Membership.IsVoter(targetId)) return false;
        EnqueueControl(new ControlItem(ControlKind.TransferLeadership, targetId));
        return true;
    }

    /// <summary>Runs one retention pass now on the loop: segments last written before <paramref name="expiredBefore"/>
    /// may go once covered by a durable snapshot taken at the state machine's applied index.</summary>
    public async Task<RetentionResult> RunRetentionAsync(DateTimeOffset expiredBefore)
    {
        RetentionResult result = RetentionResult.Nothing;
        await RunOnLoopAsync(() => result = _driver.RunRetention(expiredBefore, _options.DataFileSizeBytes)).ConfigureAwait(false);
        _metrics.SegmentsDeleted(result.DeletedSegments);
        if (result.DeletedSegments > 0 || result.SnapshotIndex >= 0)
            LogMessages.RetentionDone(_logger, SelfId, result.SnapshotIndex, result.DeletedSegments, expiredBefore, result.FirstIndex);
        return result;
    }

    private Task RunOnLoopAsync(Action work)
    {
        var item = new LoopWork(work);
        if (_stopped is not null || HaltReason is not null)
        {
            item.Abandon();
            return item.Completion;
        }
        EnqueueControl(new ControlItem(ControlKind.Work, Work: item));
        // Raced with a stop whose loop already drained the queue for the last time: nobody would run it.
        if (_loop.IsCompleted && _started) item.Abandon();
        return item.Completion;
    }

    private static AppendOutcome BusyOutcome => NodeDriver.BusyOutcome;

    private static AppendOutcome NotLeaderOutcome(string? leaderId) => NodeDriver.NotLeaderOutcome(leaderId);
}
