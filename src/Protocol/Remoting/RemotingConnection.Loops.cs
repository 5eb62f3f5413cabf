using System.IO.Pipelines;
using System.Net.Sockets;
using RaftMq.Protocol.Frames;

namespace RaftMq.Protocol.Remoting;

public sealed partial class RemotingConnection
{
    private async Task ReadLoopAsync()
    {
        var reader = PipeReader.Create(_stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024, leaveOpen: true));
        string reason = "closed by peer";
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(_closing.Token).ConfigureAwait(false);
                var buffer = result.Buffer;
                try
                {
                    while (FrameCodec.TryDecode(ref buffer, _settings.MaxFrameLength, out var command)) Deliver(command);
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
            Report(RemotingDiagnosticKind.MalformedFrame, ex.Message, ex);
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
            Close(reason);
        }
    }

    private void Deliver(RemotingCommand command)
    {
        if (!command.IsResponse)
        {
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
                while (batch.WrittenCount < _settings.MaxWriteBatchBytes && queue.TryRead(out var command))
                {
                    EncodeInto(command, batch);
                }
                if (batch.WrittenCount == 0) continue;
                await _stream.WriteAsync(batch.WrittenMemory, _closing.Token).ConfigureAwait(false);
                batch.Reset();
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
}
