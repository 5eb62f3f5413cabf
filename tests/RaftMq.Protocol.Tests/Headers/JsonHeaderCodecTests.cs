using System.Text;
using System.Text.Json;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Frames;
using RaftMq.Protocol.Headers;

namespace RaftMq.Protocol.Tests.Headers;

public class JsonHeaderCodecTests
{
    [Fact]
    public void Response_header_is_the_sorted_strict_json_java_writes()
    {
        var request = new RemotingCommand { Code = RequestCode.SendMessageV2, Opaque = 42 };
        var response = request.CreateResponse(ResponseCode.Success);
        response.ExtFields.Set("msgId", "7F00000100002A9F0000000000001234");
        response.ExtFields.Set("queueId", "0");

        string json = JsonHeaderCodec.WriteToString(response);

        Assert.Equal(
            "{\"code\":0,\"extFields\":{\"msgId\":\"7F00000100002A9F0000000000001234\",\"queueId\":\"0\"},\"flag\":1," +
            "\"language\":\"JAVA\",\"opaque\":42,\"serializeTypeCurrentRPC\":\"JSON\",\"version\":409}",
            json);
    }

    [Fact]
    public void Remark_is_written_only_when_set_and_ext_fields_always()
    {
        var response = new RemotingCommand { Code = 3, Flag = 1, Opaque = 7, Remark = " request type 999 not supported" };

        string json = JsonHeaderCodec.WriteToString(response);

        Assert.Equal(
            "{\"code\":3,\"extFields\":{},\"flag\":1,\"language\":\"JAVA\",\"opaque\":7," +
            "\"remark\":\" request type 999 not supported\",\"serializeTypeCurrentRPC\":\"JSON\",\"version\":409}",
            json);
    }

    [Fact]
    public void Property_separators_are_escaped_and_the_output_parses_as_standard_json()
    {
        var command = new RemotingCommand { Code = 310, Opaque = 1 };
        command.ExtFields.Set("i", "TAGS\u0001TagA\u0002KEYS\u0001k1 \"q\"\u0002中");

        string json = JsonHeaderCodec.WriteToString(command);

        Assert.Contains("TAGS\\u0001TagA\\u0002KEYS\\u0001k1 \\\"q\\\"\\u0002中", json);
        using var document = JsonDocument.Parse(json);
        Assert.Equal("TAGS\u0001TagA\u0002KEYS\u0001k1 \"q\"\u0002中", document.RootElement.GetProperty("extFields").GetProperty("i").GetString());
    }

    [Fact]
    public void Ali_ons_style_raw_values_are_read_as_java_strings()
    {
        const string json =
            "{\"code\":310,\"language\":\"JAVA\",\"version\":121,\"opaque\":5,\"flag\":0,\"remark\":null," +
            "\"extFields\":{\"a\":\"PG\",\"e\":0,\"g\":1795321922430,\"k\":false,\"m\":true,\"x\":null,\"d\":4.0," +
            "\"f\":1e3,\"r\":2.5,\"z\":-0,\"i\":\"TAGS\\u0001TagA\\u0002\"}}";
        var command = Read(json);

        Assert.Equal(310, command.Code);
        Assert.Equal(121, command.Version);
        Assert.Equal(5, command.Opaque);
        Assert.Null(command.Remark);
        var fields = command.ExtFields;
        Assert.Equal("PG", fields["a"]);
        Assert.Equal("0", fields["e"]);
        Assert.Equal("1795321922430", fields["g"]);
        Assert.Equal("false", fields["k"]);
        Assert.Equal("true", fields["m"]);
        Assert.False(fields.ContainsKey("x"));
        Assert.Equal("4", fields["d"]);
        Assert.Equal("1000", fields["f"]);
        Assert.Equal("2.5", fields["r"]);
        Assert.Equal("0", fields["z"]);
        Assert.Equal("TAGS\u0001TagA\u0002", fields["i"]);
    }

    [Fact]
    public void Unknown_keys_are_skipped_and_missing_ones_keep_defaults()
    {
        var command = Read("{\"opaque\":9,\"nested\":{\"a\":[1,2,{\"b\":null}]},\"serializeTypeCurrentRPC\":\"JSON\",\"code\":\"11\"}");

        Assert.Equal(11, command.Code);
        Assert.Equal(9, command.Opaque);
        Assert.Equal(LanguageCode.Java, command.Language);
        Assert.False(command.HasExtFields);
    }

    [Theory]
    [InlineData("\"DOTNET\"", LanguageCode.DotNet)]
    [InlineData("\"GO\"", LanguageCode.Go)]
    [InlineData("\"COBOL\"", LanguageCode.Other)]
    [InlineData("9", LanguageCode.Go)]
    public void Language_is_read_from_names_and_codes(string value, LanguageCode expected)
    {
        Assert.Equal(expected, Read("{\"code\":1,\"language\":" + value + "}").Language);
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("{\"code\":1")]
    [InlineData("{\"code\":true}")]
    [InlineData("{\"code\":99999999999}")]
    [InlineData("{\"extFields\":[1]}")]
    [InlineData("{} {}")]
    [InlineData("\u00ff\u00fe")]
    public void Malformed_json_raises_the_typed_error(string json)
    {
        var error = Assert.Throws<RemotingFrameException>(() => Read(json));
        Assert.Equal(FrameError.MalformedHeader, error.Error);
    }

    private static RemotingCommand Read(string json)
    {
        var command = new RemotingCommand();
        JsonHeaderCodec.Read(Encoding.UTF8.GetBytes(json), command);
        return command;
    }
}
