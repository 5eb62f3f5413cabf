namespace RaftMq.Consensus.Log;

/// <summary>Buffered forward reads over a <see cref="SegmentedFileSet"/> for recovery scans (one pread per chunk, not per entry).</summary>
internal sealed class SequentialReader(SegmentedFileSet files, int chunkBytes = 1 << 20)
{
    private byte[] _buffer = new byte[chunkBytes];
    private long _start = -1;
    private int _length;

    /// <summary>Up to <paramref name="length"/> bytes at <paramref name="offset"/>; fewer when the files end first.
    /// The span is valid until the next call.</summary>
    public ReadOnlySpan<byte> Get(long offset, int length)
    {
        if (_start < 0 || offset < _start || offset + length > _start + _length)
        {
            if (_buffer.Length < length) _buffer = new byte[length];
            _start = offset;
            _length = files.Read(offset, _buffer.AsSpan(0, Math.Max(length, Math.Min(chunkBytes, _buffer.Length))));
        }
        int from = (int)(offset - _start);
        return _buffer.AsSpan(from, Math.Clamp(_length - from, 0, length));
    }
}
