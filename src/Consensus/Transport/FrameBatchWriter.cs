using System.Buffers;

namespace RaftMq.Consensus.Transport;

/// <summary>
/// Coalesces frames into one pooled buffer so a burst of small Raft messages costs one socket write. A payload
/// too big for the remaining space is copied in part and the rest is written straight from the caller's memory,
/// so large frames are not copied twice. Not thread-safe: one writer loop owns it.
/// </summary>
internal sealed class FrameBatchWriter : IDisposable
{
    private readonly Stream _stream;
    private byte[]? _buffer;
    private int _used;

    public FrameBatchWriter(Stream stream, int bufferBytes)
    {
        _stream = stream;
        _buffer = ArrayPool<byte>.Shared.Rent(bufferBytes);
    }

    /// <summary>Bytes buffered and not yet written.</summary>
    public int Pending => _used;

    public async ValueTask AppendAsync(ReadOnlyMemory<byte> payload, CancellationToken ct)
    {
        var buffer = _buffer ?? throw new ObjectDisposedException(nameof(FrameBatchWriter));
        if (buffer.Length - _used < FrameCodec.HeaderSize) await FlushAsync(ct).ConfigureAwait(false);
        FrameCodec.WriteHeader(buffer.AsSpan(_used), payload.Span);
        _used += FrameCodec.HeaderSize;

        while (!payload.IsEmpty)
        {
            if (_used == buffer.Length) await FlushAsync(ct).ConfigureAwait(false);
            if (_used == 0 && payload.Length >= buffer.Length)
            {
                await _stream.WriteAsync(payload, ct).ConfigureAwait(false);
                return;
            }
            int chunk = Math.Min(payload.Length, buffer.Length - _used);
            payload.Span[..chunk].CopyTo(buffer.AsSpan(_used));
            _used += chunk;
            payload = payload[chunk..];
        }
    }

    public async ValueTask FlushAsync(CancellationToken ct)
    {
        if (_used == 0) return;
        var buffer = _buffer ?? throw new ObjectDisposedException(nameof(FrameBatchWriter));
        int count = _used;
        _used = 0;
        await _stream.WriteAsync(buffer.AsMemory(0, count), ct).ConfigureAwait(false);
    }

    public void Dispose()
    {
        if (_buffer is null) return;
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = null;
    }
}
