using System.Buffers;
using System.Buffers.Binary;
using FsCheck;
using FsCheck.Fluent;
using RaftMq.Foundation.Checksums;
using RaftMq.Consensus.Core;
using RaftMq.Consensus.Wire;

namespace RaftMq.Consensus.Tests.Wire;

public sealed class MessageCodecTests
{
    private static readonly Config Many = Config.QuickThrowOnFailure.WithMaxTest(500);

    [Fact]
    public void Every_message_survives_a_round_trip()
    {
        Check.One(Many, Prop.ForAll(MessageGenerators.Messages, message =>
        {
            byte[] encoded = Encode(message);
            return encoded.Length == MessageCodec.GetEncodedSize(message)
                && MessageGenerators.SameMessage(message, MessageCodec.Decode(encoded));
        }));
    }

    [Fact]
    public void Buffer_writer_and_span_encodings_are_identical()
    {
        Check.One(Many, Prop.ForAll(MessageGenerators.Messages, message =>
        {
            var writer = new ArrayBufferWriter<byte>();
            int written = MessageCodec.Encode(message, writer);
            return written == writer.WrittenCount && writer.WrittenSpan.SequenceEqual(Encode(message));
        }));
    }

    [Fact]
    public void Every_truncation_is_rejected_with_a_format_exception()
    {
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(100), Prop.ForAll(MessageGenerators.Messages, message =>
        {
            byte[] encoded = Encode(message);
            for (int length = 0; length < encoded.Length; length++)
            {
                Assert.Throws<FormatException>(() => MessageCodec.Decode(encoded.AsSpan(0, length)));
            }
            return true;
        }));
    }

    [Fact]
    public void Random_bytes_only_ever_fail_with_a_format_exception()
    {
        Gen<byte[]> bytes = Gen.Choose(0, 300).SelectMany(n => Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), n));
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(2000), Prop.ForAll(Arb.From(bytes), input =>
        {
            // With a valid version byte and checksum the parser itself sees the garbage.
            if (input.Length >= 4) input[0] = MessageCodec.Version;
            FixChecksum(input);
            return DecodesOrFormatException(input);
        }));
    }

    [Fact]
    public void Corrupted_fields_behind_a_valid_checksum_only_ever_fail_with_a_format_exception()
    {
        Gen<(Message, int, byte)> corruption =
            from message in MessageGenerators.Message
            from position in Gen.Choose(0, 10_000)
            from value in Gen.Choose(0, 255)
            select (message, position, (byte)value);
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(3000), Prop.ForAll(Arb.From(corruption), c =>
        {
            byte[] encoded = Encode(c.Item1);
            encoded[c.Item2 % (encoded.Length - 4)] = c.Item3;
            FixChecksum(encoded);
            return DecodesOrFormatException(encoded);
        }));
    }

    [Fact]
    public void A_flipped_bit_fails_the_checksum()
    {
        byte[] encoded = Encode(Sample());
        encoded[20] ^= 0x10;

        var error = Assert.Throws<FormatException>(() => MessageCodec.Decode(encoded));
        Assert.Contains("checksum", error.Message);
    }

    [Fact]
    public void An_unknown_version_is_named_in_the_error()
    {
        byte[] encoded = Encode(Sample());
        encoded[0] = 9;

        var error = Assert.Throws<FormatException>(() => MessageCodec.Decode(encoded));
        Assert.Contains("version 9", error.Message);
    }

    [Theory]
    [InlineData(1, 0, "unknown message type 0")]
    [InlineData(1, 12, "unknown message type 12")]
    [InlineData(2, 0x80, "unknown message flags")]
    public void Invalid_header_values_are_named_in_the_error(int offset, byte value, string expected)
    {
        byte[] encoded = Encode(Sample());
        encoded[offset] = value;
        FixChecksum(encoded);

        var error = Assert.Throws<FormatException>(() => MessageCodec.Decode(encoded));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Invalid_utf8_in_an_id_is_rejected()
    {
        byte[] encoded = Encode(Sample() with { From = "ab" });
        encoded[5] = 0xFF; // first byte of From (after version, type, flags and the u16 length)
        FixChecksum(encoded);

        var error = Assert.Throws<FormatException>(() => MessageCodec.Decode(encoded));
        Assert.Contains("from is not valid UTF-8", error.Message);
    }

    [Fact]
    public void An_entry_count_larger_than_the_input_is_rejected_before_allocating()
    {
        Message message = Sample();
        byte[] encoded = Encode(message);
        int countOffset = 3 + 2 + message.From.Length + 2 + message.To.Length + 7 * 8;
        BinaryPrimitives.WriteInt32BigEndian(encoded.AsSpan(countOffset), int.MaxValue);
        FixChecksum(encoded);

        var error = Assert.Throws<FormatException>(() => MessageCodec.Decode(encoded));
        Assert.Contains("entry count", error.Message);
    }

    [Fact]
    public void Trailing_bytes_are_rejected()
    {
        byte[] encoded = Encode(Sample());
        byte[] longer = new byte[encoded.Length + 3];
        encoded.AsSpan(0, encoded.Length - 4).CopyTo(longer);
        FixChecksum(longer);

        var error = Assert.Throws<FormatException>(() => MessageCodec.Decode(longer));
        Assert.Contains("unexpected bytes", error.Message);
    }

    [Fact]
    public void A_too_small_destination_is_an_argument_error()
    {
        Message message = Sample();
        var destination = new byte[MessageCodec.GetEncodedSize(message) - 1];

        Assert.Throws<ArgumentException>(() => MessageCodec.Encode(message, destination));
    }

    private static Message Sample() => new()
    {
        Type = MessageType.Append, From = "n0", To = "n1", Term = 3, LogIndex = 10, LogTerm = 2, Commit = 9,
        Entries = new[] { new LogEntry(11, 3, 4096, EntryType.Normal, new byte[] { 1, 2, 3 }) },
    };

    private static byte[] Encode(Message message)
    {
        var buffer = new byte[MessageCodec.GetEncodedSize(message)];
        MessageCodec.Encode(message, buffer);
        return buffer;
    }

    private static void FixChecksum(byte[] frame)
    {
        if (frame.Length < 4) return;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(frame.Length - 4), Crc32C.Compute(frame.AsSpan(0, frame.Length - 4)));
    }

    private static bool DecodesOrFormatException(byte[] input)
    {
        try
        {
            MessageCodec.Decode(input);
        }
        catch (FormatException)
        {
        }
        return true;
    }
}
