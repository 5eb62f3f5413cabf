using System.IO.Compression;
using System.Text;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Messages;
using static RaftMq.Broker.Tests.Processors.BrokerTestKit;

namespace RaftMq.Broker.Tests.Processors;

/// <summary>A message a consumer could not decode is refused at send time (MESSAGE_ILLEGAL), nothing stored.</summary>
public sealed class StoredMessageValidationTests
{
    public static byte[] Zlib(byte[] body)
    {
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.Fastest, leaveOpen: true)) zlib.Write(body);
        return output.ToArray();
    }

    [Theory]
    [InlineData(MessageSysFlag.Compressed)]
    [InlineData(MessageSysFlag.Compressed | MessageSysFlag.CompressionZlib)]
    public async Task Compressed_flag_on_a_body_that_is_not_zlib_is_refused(int sysFlag)
    {
        await using var kit = new BrokerTestKit();
        kit.Store.AddTopic("T");
        var response = await kit.InvokeAsync(SendV2("T", "not zlib at all"u8.ToArray(), sysFlag: sysFlag));

        Assert.Equal(ResponseCode.MessageIllegal, response.Code);
        Assert.Contains("does not inflate", response.Remark);
        Assert.Empty(kit.Store.Messages("T", 0));
    }

    [Fact]
    public async Task Compressed_body_inflating_past_max_message_size_is_refused()
    {
        await using var kit = new BrokerTestKit();
        kit.Store.AddTopic("T");
        var bomb = Zlib(new byte[kit.Options.MaxMessageSizeBytes + 1]);
        var response = await kit.InvokeAsync(SendV2("T", bomb, sysFlag: MessageSysFlag.Compressed));

        Assert.Equal(ResponseCode.MessageIllegal, response.Code);
        Assert.Contains("maxMessageSize", response.Remark);
        Assert.Empty(kit.Store.Messages("T", 0));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(0x800)]
    [InlineData(MessageSysFlag.Compressed | 0x400)]
    public async Task Unknown_sys_flag_bits_are_refused(int sysFlag)
    {
        await using var kit = new BrokerTestKit();
        kit.Store.AddTopic("T");
        var response = await kit.InvokeAsync(SendV2("T", Zlib("x"u8.ToArray()), sysFlag: sysFlag));

        Assert.Equal(ResponseCode.MessageIllegal, response.Code);
        Assert.Contains("sysFlag", response.Remark);
        Assert.Empty(kit.Store.Messages("T", 0));
    }

    [Theory]
    [InlineData("TAGS\u0001a\u0001b")]
    [InlineData("\u0001value")]
    [InlineData("novalue")]
    public async Task Malformed_properties_are_refused(string properties)
    {
        await using var kit = new BrokerTestKit();
        kit.Store.AddTopic("T");
        var response = await kit.InvokeAsync(SendV2("T", "x"u8.ToArray(), properties));

        Assert.Equal(ResponseCode.MessageIllegal, response.Code);
        Assert.Contains("malformed message property", response.Remark);
    }

    [Fact]
    public async Task Too_many_properties_are_refused()
    {
        await using var kit = new BrokerTestKit();
        kit.Store.AddTopic("T");
        var properties = string.Join('\u0002', Enumerable.Range(0, 1025).Select(i => $"p{i}\u0001v"));
        var response = await kit.InvokeAsync(SendV2("T", "x"u8.ToArray(), properties));

        Assert.Equal(ResponseCode.MessageIllegal, response.Code);
        Assert.Contains("more than 1024", response.Remark);
    }

    [Theory]
    [InlineData("9223372036854775807")]
    [InlineData("9223372036854775000")]
    [InlineData("soon")]
    public async Task Delivery_time_out_of_range_gets_a_clear_refusal(string deliverAt)
    {
        await using var kit = new BrokerTestKit();
        kit.Store.AddTopic("T");
        var response = await kit.InvokeAsync(SendV2("T", "x"u8.ToArray(), $"__STARTDELIVERTIME\u0001{deliverAt}"));

        Assert.Equal(ResponseCode.MessageIllegal, response.Code);
        Assert.Contains("__STARTDELIVERTIME", response.Remark);
        Assert.DoesNotContain("Exception", response.Remark);
    }

    [Fact]
    public async Task Batch_with_a_malformed_compressed_member_stores_nothing()
    {
        await using var kit = new BrokerTestKit();
        kit.Store.AddTopic("T");
        var body = new byte[4096];
        int length = BatchMessageCodec.Encode(body, 0, Zlib("good"u8.ToArray()), Encoding.UTF8.GetBytes("KEYS\u0001k0"));
        length += BatchMessageCodec.Encode(body.AsSpan(length), 0, "bad"u8.ToArray(), Encoding.UTF8.GetBytes("KEYS\u0001k1"));
        var response = await kit.InvokeAsync(SendV2("T", body[..length], properties: null, sysFlag: MessageSysFlag.Compressed,
            code: RequestCode.SendBatchMessage));

        Assert.Equal(ResponseCode.MessageIllegal, response.Code);
        Assert.Empty(kit.Store.Messages("T", 0));
    }
}
