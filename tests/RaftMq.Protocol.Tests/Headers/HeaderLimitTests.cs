using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using RaftMq.Protocol.Frames;
using RaftMq.Protocol.Headers;

namespace RaftMq.Protocol.Tests.Headers;

/// <summary>Hostile headers are refused while parsing: too many fields, over-long keys or values.</summary>
public sealed class HeaderLimitTests
{
    [Theory]
    [InlineData(SerializeType.Json)]
    [InlineData(SerializeType.RocketMq)]
    public void Header_with_the_maximum_field_count_parses(SerializeType type)
    {
        var decoded = RoundTrip(WithFields(HeaderLimits.MaxExtFields, type));
        Assert.Equal(HeaderLimits.MaxExtFields, decoded.ExtFields.Count);
        Assert.Equal("v1023", decoded.ExtFields["k1023"]);
    }

    [Theory]
    [InlineData(SerializeType.Json)]
    [InlineData(SerializeType.RocketMq)]
    public void Header_with_more_fields_than_the_limit_is_refused(SerializeType type)
    {
        var frame = FrameCodec.Encode(WithFields(HeaderLimits.MaxExtFields + 1, type));
        var error = Assert.Throws<RemotingFrameException>(() => FrameCodec.Decode(frame));
        Assert.Equal(FrameError.MalformedHeader, error.Error);
        Assert.Contains("extFields", error.Message);
    }

    [Theory]
    [InlineData(SerializeType.Json)]
    [InlineData(SerializeType.RocketMq)]
    public void Overlong_key_is_refused(SerializeType type)
    {
        var command = RemotingCommand.CreateRequest(10);
        command.SerializeType = type;
        command.ExtFields.Set(new string('k', HeaderLimits.MaxKeyBytes + 1), "v");
        var error = Assert.Throws<RemotingFrameException>(() => FrameCodec.Decode(FrameCodec.Encode(command)));
        Assert.Contains("key", error.Message);
    }

    [Theory]
    [InlineData(SerializeType.Json)]
    [InlineData(SerializeType.RocketMq)]
    public void Overlong_value_or_remark_is_refused(SerializeType type)
    {
        var command = RemotingCommand.CreateRequest(10);
        command.SerializeType = type;
        command.ExtFields.Set("topic", new string('v', HeaderLimits.MaxValueBytes + 1));
        Assert.Throws<RemotingFrameException>(() => FrameCodec.Decode(FrameCodec.Encode(command)));

        var remarked = RemotingCommand.CreateRequest(10);
        remarked.SerializeType = type;
        remarked.Remark = new string('r', HeaderLimits.MaxValueBytes + 1);
        Assert.Throws<RemotingFrameException>(() => FrameCodec.Decode(FrameCodec.Encode(remarked)));
    }

    [Fact]
    public void Binary_header_with_many_empty_fields_is_refused_at_the_limit_not_parsed_whole()
    {
        // 150k zero-length fields: the attack frame of the report, 2 bytes key length + 4 bytes value length each.
        const int fields = 150_000;
        var ext = new byte[fields * 6];
        var header = new ArrayBufferWriter<byte>();
        var fixedPart = new byte[13 + 4 + 4];
        BinaryPrimitives.WriteInt16BigEndian(fixedPart, 10);
        BinaryPrimitives.WriteInt32BigEndian(fixedPart.AsSpan(17), ext.Length);
        header.Write(fixedPart);
        header.Write(ext);
        var frame = new byte[8 + header.WrittenCount];
        BinaryPrimitives.WriteInt32BigEndian(frame, 4 + header.WrittenCount);
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(4), (1 << 24) | header.WrittenCount);
        header.WrittenSpan.CopyTo(frame.AsSpan(8));
        var error = Assert.Throws<RemotingFrameException>(() => FrameCodec.Decode(frame));
        Assert.Contains("more than", error.Message);
    }

    [Fact]
    public void Json_header_with_many_distinct_fields_is_refused()
    {
        var json = new StringBuilder("{\"code\":10,\"extFields\":{");
        for (int i = 0; i < 40_000; i++) json.Append(i == 0 ? "" : ",").Append("\"f").Append(i).Append("\":\"x\"");
        json.Append("}}");
        var target = new RemotingCommand();
        Assert.Throws<RemotingFrameException>(() => JsonHeaderCodec.Read(Encoding.UTF8.GetBytes(json.ToString()), target));
    }

    private static RemotingCommand WithFields(int count, SerializeType type)
    {
        var command = RemotingCommand.CreateRequest(10);
        command.SerializeType = type;
        for (int i = 0; i < count; i++) command.ExtFields.Set("k" + i, "v" + i);
        return command;
    }

    private static RemotingCommand RoundTrip(RemotingCommand command) => FrameCodec.Decode(FrameCodec.Encode(command));
}
