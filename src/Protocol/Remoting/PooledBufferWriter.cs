using System.Buffers;

namespace RaftMq.Protocol.Remoting;

/// <summary>A growable <see cref="IBufferWriter{T}"/> on <see cref="ArrayPool{T}"/> arrays, reused across writes.</summary>
internal sealed class PooledBufferWriter : IBufferWriter<byte>, IDisposable
{
    private const int InitialSize = 16 * 1024;

    /// <summary>After a write larger than this the buffer is returned, so one huge frame does not pin memory.</summary>
    private const int RetainLimit = 1024 * 1024;

    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(InitialSize);
    private int _written;

    public int WrittenCount => _written;

    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _written);

    public void Advance(int count) => _written += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_written);
    }

    /// <summary>Drops everything written after <paramref name="writtenCount"/> bytes.</summary>
    public void Rewind(int writtenCount) => _written = Math.Min(_written, writtenCount);

    public void Reset()
    {
        _written = 0;
        if (_buffer.Length > RetainLimit)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = ArrayPool<byte>.Shared.Rent(InitialSize);
        }
    }

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, []);
        if (buffer.Length > 0) ArrayPool<byte>.Shared.Return(buffer);
    }

    private void Ensure(int sizeHint)
    {
        int needed = _written + Math.Max(sizeHint, 1);
        if (needed <= _buffer.Length) return;
        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, _buffer.Length * 2));
        _buffer.AsSpan(0, _written).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }
}
