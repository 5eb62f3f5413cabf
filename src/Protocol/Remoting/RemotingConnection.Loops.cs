using System.IO.Pipelines;
using System.Net.Sockets;
using RaftMq.Protocol.Frames;

namespace RaftMq.Protocol.Remoting;

public sealed partial class RemotingConnection
{
    /// <summary>Longest a connection that sent a malformed frame stays open to deliver the answers to the valid
    /// requests before it.</summary>
    private static readonly TimeSpan AnswerGrace = TimeSpan.FromSeconds(3);

    private static readonly TimeSpan BackPressurePoll = TimeSpan.FromMilliseconds(10);

    private async Task ReadLoopAsync()
    {
        var reader = PipeReader.Create(_stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024, leaveOpen: true));
        string reason = "closed by peer";
        bool answerFirst = false;
        try
        {
            while (true)
            {
                await WhileWriteQueueIsBackedUpAsync().ConfigureAwait(false);
                var result = await reader.ReadAsync(_closing.Token).ConfigureAwait(false);
                Volatile.Write(ref _lastActivity, Environment.TickCount64);
                var buffer = result.Buffer;
                if (!buffer.IsEmpty) Volatile.Write(ref _receivedAny, 1);
                try
                {
                    while (FrameCodec.TryDecode(ref buffer, _settings.MaxFrameLength, out var command)) Deliver(command);
                    if (!result.IsCompleted) TrackPartialFrame(buffer.Length);
                }
                finally
                {
                    reader.AdvanceTo(buffer.Start, buffer.End);
                }
                if (result.IsCompleted)
                {
                    if (!buffer.IsEmpty) reason = $"closed by peer in the middle of a frame ({buffer.Length} bytes)";
                    break;
                }
            }
        }
        catch (RemotingFrameException ex)
        {
            reason = "malformed frame: " + ex.Message;
            answerFirst = true;
            RemotingRefusals.Count(RefusalReason.MalformedFrame);
            ReportRefusal(ex.Message);
        }
        catch (PartialFrameBudgetException ex)
        {
            reason = ex.Message;
            RemotingRefusals.Count(RefusalReason.PartialFrameBudget);
            ReportRefusal(ex.Message);
        }
        catch (OperationCanceledException)
        {
            reason = "closed locally";
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            reason = "read failed: " + ex.Message;
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
            TrackPartialFrame(0);
            // The requests decoded before a malformed frame were valid: answer them before closing.
            if (answerFirst) await AwaitAnswersAsync().ConfigureAwait(false);
            Close(reason);
        }
    }

    /// <summary>Rate-limited and truncated: the text of a refused frame comes from the peer. No stack trace, it says nothing.</summary>
    private void ReportRefusal(string message)
    {
        if (!_settings.RefusalLog.ShouldReport(out int suppressed)) return;
        string text = LogText.Truncate(message);
        Report(RemotingDiagnosticKind.MalformedFrame, suppressed > 0 ? $"{text} ({suppressed} similar refusals not logged)" : text);
    }

    /// <summary>
    /// Accounts the bytes of a frame begun but not complete against the server's budget and starts or stops its
    /// read deadline. Throws <see cref="PartialFrameBudgetException"/> when the budget cannot hold them.
    /// </summary>
    private void TrackPartialFrame(long heldBytes)
    {
        if (heldBytes == 0) Volatile.Write(ref _partialFrameSince, 0);
        else if (Volatile.Read(ref _partialFrameSince) == 0) Volatile.Write(ref _partialFrameSince, Math.Max(1, Environment.TickCount64));
        if (_settings.PartialFrames is not { } budget) return;
        long delta = heldBytes - _partialFrameBytes;
        if (!budget.TryAdjust(delta))
        {
            throw new PartialFrameBudgetException(
                $"partially received frames of all connections would exceed {budget.LimitBytes} bytes; this connection's frame is refused");
        }
        _partialFrameBytes = heldBytes;
    }

    /// <summary>Back-pressure: a peer that does not read its answers gets no more of its requests read.</summary>
    private async Task WhileWriteQueueIsBackedUpAsync()
    {
        int threshold = Math.Max(1, _settings.WriteQueueCapacity / 2);
        while (_outbound.Reader.Count >= threshold) await Task.Delay(BackPressurePoll, _closing.Token).ConfigureAwait(false);
    }

    /// <summary>Waits (bounded) until every request read so far has its answer written.</summary>
    private async Task AwaitAnswersAsync()
    {
        long deadline = Environment.TickCount64 + (long)AnswerGrace.TotalMilliseconds;
        while (Environment.TickCount64 < deadline && IsOpen
               && (Volatile.Read(ref _unansweredRequests) > 0 || _outbound.Reader.Count > 0 || Volatile.Read(ref _writing) != 0))
        {
            await Task.Delay(BackPressurePoll).ConfigureAwait(false);
        }
    }

    private void Deliver(RemotingCommand command)
    {
        if (!command.IsResponse)
        {
            if (!command.IsOneway) Interlocked.Increment(ref _unansweredRequests);
            _owner.OnRequest(this, command);
            return;
        }
        if (_pending.TryRemove(command.Opaque, out var waiter))
        {
            waiter.TrySetResult(command);
            return;
        }
        Report(RemotingDiagnosticKind.UnmatchedResponse, $"response code {command.Code} with opaque {command.Opaque} matches no pending request");
    }

    private async Task WriteLoopAsync()
    {
        using var batch = new PooledBufferWriter();
        var queue = _outbound.Reader;
        try
        {
            while (await queue.WaitToReadAsync(_closing.Token).ConfigureAwait(false))
            {
                Volatile.Write(ref _writing, 1);
                while (batch.WrittenCount < _settings.MaxWriteBatchBytes && queue.TryRead(out var command))
                {
                    EncodeInto(command, batch);
                }
                if (batch.WrittenCount > 0)
                {
                    await _stream.WriteAsync(batch.WrittenMemory, _closing.Token).ConfigureAwait(false);
                    batch.Reset();
                    Volatile.Write(ref _lastActivity, Environment.TickCount64);
                }
                Volatile.Write(ref _writing, 0);
            }
        }
        catch (OperationCanceledException)
        {
            // Closing: queued commands are dropped; their invocations fail in Close.
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            Close("write failed: " + ex.Message);
        }
    }

    /// <summary>Encodes one command; a command that cannot be encoded is dropped (and its invocation failed), not the connection.</summary>
    private void EncodeInto(RemotingCommand command, PooledBufferWriter batch)
    {
        int mark = batch.WrittenCount;
        try
        {
            FrameCodec.Encode(command, batch);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or RemotingFrameException)
        {
            batch.Rewind(mark);
            Report(RemotingDiagnosticKind.SendFailed, $"cannot encode command code {command.Code}: {ex.Message}", ex);
            if (!command.IsResponse && _pending.TryRemove(command.Opaque, out var waiter))
            {
                waiter.TrySetException(new RemotingSendException(RemoteAddress, "The request could not be encoded: " + ex.Message, ex));
            }
        }
    }

    private sealed class PartialFrameBudgetException(string message) : Exception(message);
}
