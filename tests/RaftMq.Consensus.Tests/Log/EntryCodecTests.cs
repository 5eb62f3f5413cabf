using System.Buffers.Binary;
using FsCheck;
using FsCheck.Fluent;
using RaftMq.Consensus.Core;
using RaftMq.Consensus.Log;

namespace RaftMq.Consensus.Tests.Log;

public class EntryCodecTests
{
    private static byte[] Encoded(LogEntry entry)
    {
        var bytes = new byte[entry.Size];
        EntryCodec.Encode(entry, bytes);
        return bytes;
    }

    private static readonly LogEntry Sample = new(7, 3, 4096, EntryType.Normal, new byte[] { 1, 2, 3, 4, 5 });

    [Fact]
    public void Header_fields_are_big_endian_at_the_documented_offsets()
    {
        var bytes = Encoded(Sample);
        Assert.Equal(53, bytes.Length);
        Assert.Equal(1, BinaryPrimitives.ReadInt32BigEndian(bytes));
        Assert.Equal(53, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4)));
        Assert.Equal(7, BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(8)));
        Assert.Equal(3, BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(16)));
        Assert.Equal(4096, BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(24)));
        Assert.Equal(0, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(32)));
        Assert.Equal(RaftMq.Foundation.Checksums.Crc32C.Compute(Sample.Body.Span), BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(40)));
        Assert.Equal(5, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(44)));
        Assert.Equal(Sample.Body.ToArray(), bytes[48..]);
    }

    [Fact]
    public void Any_entry_round_trips_through_encode_and_decode()
    {
        Prop.ForAll<int, byte[], bool>((seed, body, noop) =>
        {
            long index = (Math.Abs((long)seed) * 7919) + 1;
            var entry = new LogEntry(index, Math.Abs((long)seed) % 1000, index * 31, noop ? EntryType.Noop : EntryType.Normal, body);
            var check = EntryCodec.TryDecode(Encoded(entry), entry.Pos, entry.Index, out var decoded);
            return check == EntryCheck.Ok && decoded! with { Body = entry.Body } == entry && decoded.Body.Span.SequenceEqual(body);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Every_single_bit_flip_is_detected()
    {
        var bytes = Encoded(Sample);
        for (int bit = 0; bit < bytes.Length * 8; bit++)
        {
            var damaged = (byte[])bytes.Clone();
            damaged[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.NotEqual(EntryCheck.Ok, EntryCodec.Verify(damaged, Sample.Pos, Sample.Index, out _));
        }
    }

    [Theory]
    [InlineData(0, EntryCheck.BadMagic)]
    [InlineData(37, EntryCheck.HeaderCrc)]
    [InlineData(44, EntryCheck.HeaderCrc)]
    [InlineData(50, EntryCheck.BodyCrc)]
    public void Damage_is_reported_with_the_check_that_failed(int byteOffset, EntryCheck expected)
    {
        var bytes = Encoded(Sample);
        bytes[byteOffset] ^= 0x10;
        Assert.Equal(expected, EntryCodec.Verify(bytes, Sample.Pos, Sample.Index, out _));
    }

    [Fact]
    public void Short_input_is_too_short_not_corrupt()
    {
        var bytes = Encoded(Sample);
        Assert.Equal(EntryCheck.TooShort, EntryCodec.Verify(bytes.AsSpan(0, 20), Sample.Pos, Sample.Index, out _));
        Assert.Equal(EntryCheck.TooShort, EntryCodec.Verify(bytes.AsSpan(0, bytes.Length - 1), Sample.Pos, Sample.Index, out _));
    }

    [Fact]
    public void Entry_at_an_unexpected_pos_or_index_is_rejected()
    {
        var bytes = Encoded(Sample);
        Assert.Equal(EntryCheck.PosMismatch, EntryCodec.Verify(bytes, Sample.Pos + 1, Sample.Index, out _));
        Assert.Equal(EntryCheck.IndexNotContiguous, EntryCodec.Verify(bytes, Sample.Pos, Sample.Index + 1, out _));
    }

    [Fact]
    public void Size_fields_that_disagree_are_bad_size_even_with_a_valid_header_crc()
    {
        // Re-encode with a consistent CRC over inconsistent fields to reach the size check.
        var bytes = Encoded(Sample);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), 60);
        uint crc = RaftMq.Foundation.Checksums.Crc32C.Append(RaftMq.Foundation.Checksums.Crc32C.Compute(bytes.AsSpan(0, 36)), bytes.AsSpan(40, 8));
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(36), crc);
        Assert.Equal(EntryCheck.BadSize, EntryCodec.TryReadHeader(bytes, out _));
    }

    [Fact]
    public void Index_unit_round_trips_and_refuses_the_wrong_slot_or_blank_bytes()
    {
        var unit = new IndexUnit(123456789, 42, 1048, EntryType.Noop);
        var bytes = new byte[IndexUnit.Size];
        unit.Encode(99, bytes);
        Assert.True(IndexUnit.TryDecode(99, bytes, out var decoded));
        Assert.Equal(unit, decoded);
        Assert.False(IndexUnit.TryDecode(100, bytes, out _));
        Assert.False(IndexUnit.TryDecode(0, new byte[IndexUnit.Size], out _));
        bytes[3] ^= 1;
        Assert.False(IndexUnit.TryDecode(99, bytes, out _));
    }
}
