using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Frames;

namespace RaftMq.Protocol.Tests.Frames;

public class FrameCodecTests
{
    private const string RouteRequestHeader =
        "{\"code\":105,\"extFields\":{\"topic\":\"T\"},\"flag\":0,\"language\":\"JAVA\",\"opaque\":1," +
        "\"serializeTypeCurrentRPC\":\"JSON\",\"version\":409}";

    private static RemotingCommand RouteRequest(SerializeType serializeType = SerializeType.Json)
    {
        var request = new RemotingCommand { Code = RequestCode.GetRouteInfoByTopic, Opaque = 1, SerializeType = serializeType };
        request.ExtFields.Set("topic", "T");
        return request;
    }

    [Fact]
    public void Json_request_frame_has_length_prefix_type_byte_and_header_bytes()
    {
        byte[] frame = FrameCodec.Encode(RouteRequest());

        byte[] header = Encoding.UTF8.GetBytes(RouteRequestHeader);
        Assert.Equal(123, header.Length);
        byte[] expected = [0, 0, 0, 127, 0, 0, 0, 123, .. header];
        Assert.Equal(expected, frame);
    }

    [Fact]
    public void Rocketmq_binary_frame_matches_the_documented_layout()
    {
        byte[] frame = FrameCodec.Encode(RouteRequest(SerializeType.RocketMq));

        byte[] header =
        [
            0x00, 0x69, // code 105
            0x00, // JAVA
            0x01, 0x99, // version 409
            0, 0, 0, 1, // opaque
            0, 0, 0, 0, // flag
            0, 0, 0, 0, // no remark
            0, 0, 0, 12, // ext length
            0, 5, (byte)'t', (byte)'o', (byte)'p', (byte)'i', (byte)'c', 0, 0, 0, 1, (byte)'T',
        ];
        byte[] expected = [0, 0, 0, (byte)(4 + header.Length), 1, 0, 0, (byte)header.Length, .. header];
        Assert.Equal(expected, frame);
    }

    [Fact]
    public void Body_follows_the_header_and_counts_in_the_length()
    {
        var request = RouteRequest();
        request.Body = new byte[] { 1, 2, 3 };

        byte[] frame = FrameCodec.Encode(request);

        Assert.Equal(4 + 123 + 3, BinaryPrimitives.ReadInt32BigEndian(frame));
        Assert.Equal(new byte[] { 1, 2, 3 }, frame[^3..]);
        Assert.Equal(new byte[] { 1, 2, 3 }, FrameCodec.Decode(frame).Body.ToArray());
    }

    [Fact]
    public void Frames_round_trip_in_both_serializations()
    {
        Check.One(Generators.Config, Prop.ForAll(Generators.Command.ToArbitrary(), command =>
        {
            var decoded = FrameCodec.Decode(FrameCodec.Encode(command));
            Generators.AssertSameCommand(command, decoded);
        }));
    }

    [Fact]
    public void Incomplete_frames_wait_for_more_bytes_and_split_frames_decode_in_order()
    {
        byte[] one = FrameCodec.Encode(RouteRequest());
        byte[] stream = [.. one, .. one];
        for (int cut = 0; cut < one.Length; cut++)
        {
            var partial = new ReadOnlySequence<byte>(stream, 0, cut);
            Assert.False(FrameCodec.TryDecode(ref partial, FrameCodec.DefaultMaxFrameLength, out _));
            Assert.Equal(cut, partial.Length);
        }
        var both = MultiSegment(stream, 7);
        Assert.True(FrameCodec.TryDecode(ref both, FrameCodec.DefaultMaxFrameLength, out var first));
        Assert.True(FrameCodec.TryDecode(ref both, FrameCodec.DefaultMaxFrameLength, out var second));
        Assert.True(both.IsEmpty);
        Assert.Equal("T", first.ExtFields["topic"]);
        Assert.Equal("T", second.ExtFields["topic"]);
    }

    [Fact]
    public void Oversized_length_is_rejected_before_the_body_arrives()
    {
        byte[] prefix = [0x01, 0x00, 0x00, 0x00]; // 16 MiB + 4 with the prefix
        var buffer = new ReadOnlySequence<byte>(prefix);

        var error = Assert.Throws<RemotingFrameException>(() => FrameCodec.TryDecode(ref buffer, FrameCodec.DefaultMaxFrameLength, out _));

        Assert.Equal(FrameError.TooLarge, error.Error);
    }

    [Theory]
    [InlineData(new byte[] { 0, 0, 0, 2, 0, 0 }, FrameError.InvalidLength)]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF }, FrameError.InvalidLength)]
    [InlineData(new byte[] { 0, 0, 0, 4, 0, 0, 0, 9 }, FrameError.InvalidHeaderLength)]
    [InlineData(new byte[] { 0, 0, 0, 6, 7, 0, 0, 2, (byte)'{', (byte)'}' }, FrameError.UnknownSerializeType)]
    [InlineData(new byte[] { 0, 0, 0, 6, 0, 0, 0, 2, (byte)'[', (byte)']' }, FrameError.MalformedHeader)]
    [InlineData(new byte[] { 0, 0, 0, 5, 1, 0, 0, 1, 0 }, FrameError.MalformedHeader)]
    public void Invalid_frames_raise_the_typed_error(byte[] frame, FrameError expected)
    {
        var error = Assert.Throws<RemotingFrameException>(() => FrameCodec.Decode(frame));
        Assert.Equal(expected, error.Error);
    }

    [Fact]
    public void Random_bytes_never_raise_anything_but_the_typed_error()
    {
        Check.One(Generators.Config, Prop.ForAll(Generators.Bytes.ToArbitrary(), garbage =>
        {
            var buffer = new ReadOnlySequence<byte>(garbage);
            try
            {
                while (FrameCodec.TryDecode(ref buffer, 64 * 1024, out _))
                {
                }
            }
            catch (RemotingFrameException)
            {
            }
        }));
    }

    [Fact]
    public void Corrupted_valid_frames_never_raise_anything_but_the_typed_error()
    {
        var gen = from command in Generators.Command
                  from position in Gen.Choose(0, 10_000)
                  from value in Gen.Choose(0, 255)
                  select (command, position, value);
        Check.One(Generators.Config, Prop.ForAll(gen.ToArbitrary(), input =>
        {
            byte[] frame = FrameCodec.Encode(input.command);
            frame[input.position % frame.Length] = (byte)input.value;
            try
            {
                FrameCodec.Decode(frame);
            }
            catch (RemotingFrameException)
            {
            }
        }));
    }

    private static ReadOnlySequence<byte> MultiSegment(byte[] data, int segmentSize)
    {
        Segment? first = null, last = null;
        for (int i = 0; i < data.Length; i += segmentSize)
        {
            var memory = data.AsMemory(i, Math.Min(segmentSize, data.Length - i));
            if (first is null) first = last = new Segment(memory, 0);
            else last = last!.Append(memory);
        }
        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
