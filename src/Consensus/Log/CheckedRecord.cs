using System.Buffers.Binary;
using RaftMq.Foundation.Checksums;

namespace RaftMq.Consensus.Log;

/// <summary>
/// Small self-checking records (hard state, snapshot, base, checkpoint): magic int32 | version int32 | payload |
/// CRC32C (uint32, big-endian) of everything before it.
/// </summary>
internal static class CheckedRecord
{
    public const int Version = 1;
    public const int Overhead = 12;

    public static byte[] Seal(int magic, ReadOnlySpan<byte> payload)
    {
        var record = new byte[payload.Length + Overhead];
        BinaryPrimitives.WriteInt32BigEndian(record, magic);
        BinaryPrimitives.WriteInt32BigEndian(record.AsSpan(4), Version);
        payload.CopyTo(record.AsSpan(8));
        BinaryPrimitives.WriteUInt32BigEndian(record.AsSpan(record.Length - 4), Crc32C.Compute(record.AsSpan(0, record.Length - 4)));
        return record;
    }

    /// <summary>The payload, or null with <paramref name="problem"/> saying why the record is not valid.</summary>
    public static ReadOnlyMemory<byte>? Open(int magic, ReadOnlyMemory<byte> record, out string? problem)
    {
        var span = record.Span;
        problem = span.Length < Overhead ? $"only {span.Length} bytes"
            : BinaryPrimitives.ReadInt32BigEndian(span) != magic ? "wrong magic"
            : BinaryPrimitives.ReadInt32BigEndian(span[4..]) != Version ? $"unknown version {BinaryPrimitives.ReadInt32BigEndian(span[4..])}"
            : BinaryPrimitives.ReadUInt32BigEndian(span[^4..]) != Crc32C.Compute(span[..^4]) ? "CRC32C mismatch"
            : null;
        return problem is null ? record[8..^4] : null;
    }
}
