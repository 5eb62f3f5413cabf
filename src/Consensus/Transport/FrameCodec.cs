using System.Buffers;
using System.Buffers.Binary;
using RaftMq.Foundation.Checksums;

namespace RaftMq.Consensus.Transport;

internal enum FrameStatus
{
    NeedMoreData,
    Frame,

    /// <summary>The declared length is negative or above the limit; the stream cannot be trusted any more.</summary>
    InvalidLength,
    CrcMismatch,
}

/// <summary>Outcome of <see cref="FrameCodec.TryRead"/>; Length and CRCs are filled for errors, for the log.</summary>
internal readonly record struct FrameReadResult(FrameStatus Status, byte[]? Payload, long Length, uint ExpectedCrc, uint ActualCrc);

/// <summary>
/// Data frames after the handshake: <c>int32 length | uint32 CRC-32C(payload) | payload</c>, big-endian, the
/// length counting payload bytes only. The CRC guards against corruption that TCP's 16-bit checksum misses.
/// </summary>
internal static class FrameCodec
{
    public const int HeaderSize = 8;

    public static void WriteHeader(Span<byte> destination, ReadOnlySpan<byte> payload)
    {
        BinaryPrimitives.WriteInt32BigEndian(destination, payload.Length);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], Crc32C.Compute(payload));
    }

    /// <summary>Reads one frame from the front of <paramref name="buffer"/> and slices it off; the payload is
    /// copied out once into a new array owned by the caller. Leaves the buffer untouched unless a frame is read.</summary>
    public static FrameReadResult TryRead(ref ReadOnlySequence<byte> buffer, int maxFrameBytes)
    {
        if (buffer.Length < HeaderSize) return default;
        Span<byte> header = stackalloc byte[HeaderSize];
        buffer.Slice(0, HeaderSize).CopyTo(header);
        int length = BinaryPrimitives.ReadInt32BigEndian(header);
        uint expectedCrc = BinaryPrimitives.ReadUInt32BigEndian(header[4..]);
        if (length < 0 || length > maxFrameBytes)
            return new FrameReadResult(FrameStatus.InvalidLength, null, length, expectedCrc, 0);
        if (buffer.Length < HeaderSize + (long)length) return default;

        var payload = length == 0 ? [] : new byte[length];
        buffer.Slice(HeaderSize, length).CopyTo(payload);
        uint actualCrc = Crc32C.Compute(payload);
        if (actualCrc != expectedCrc)
            return new FrameReadResult(FrameStatus.CrcMismatch, null, length, expectedCrc, actualCrc);
        buffer = buffer.Slice(HeaderSize + (long)length);
        return new FrameReadResult(FrameStatus.Frame, payload, length, expectedCrc, actualCrc);
    }
}
