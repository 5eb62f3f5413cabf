using System.Buffers.Text;
using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Frames;

namespace RaftMq.Protocol.Headers;

public static partial class JsonHeaderCodec
{
    private static readonly JsonReaderOptions ReaderOptions = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
        MaxDepth = 32,
    };

    /// <summary>
    /// Parses a JSON header into <paramref name="target"/> (code, language, version, opaque, flag, remark,
    /// extFields). Throws <see cref="RemotingFrameException"/> with <see cref="FrameError.MalformedHeader"/> for
    /// anything that is not a JSON object of that shape.
    /// </summary>
    public static void Read(ReadOnlySpan<byte> json, RemotingCommand target)
    {
        try
        {
            var reader = new Utf8JsonReader(json, ReaderOptions);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) throw Malformed("not a JSON object");
            ReadTopLevelProperties(ref reader, json, target);
            if (reader.Read()) throw Malformed("data after the header object");
        }
        catch (JsonException ex)
        {
            throw Malformed(ex.Message, ex);
        }
        catch (InvalidOperationException ex)
        {
            throw Malformed(ex.Message, ex);
        }
    }

    private static void ReadTopLevelProperties(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, RemotingCommand target)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("code"u8)) target.Code = ReadInt32(ref reader, "code");
            else if (reader.ValueTextEquals("opaque"u8)) target.Opaque = ReadInt32(ref reader, "opaque");
            else if (reader.ValueTextEquals("flag"u8)) target.Flag = ReadInt32(ref reader, "flag");
            else if (reader.ValueTextEquals("version"u8)) target.Version = ReadInt32(ref reader, "version");
            else if (reader.ValueTextEquals("language"u8)) target.Language = ReadLanguage(ref reader);
            else if (reader.ValueTextEquals("remark"u8)) target.Remark = ReadRemark(ref reader, json);
            else if (reader.ValueTextEquals("extFields"u8)) ReadExtFields(ref reader, json, target);
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        if (reader.TokenType != JsonTokenType.EndObject) throw Malformed("unterminated header object");
    }

    private static int ReadInt32(ref Utf8JsonReader reader, string name)
    {
        reader.Read();
        switch (reader.TokenType)
        {
            case JsonTokenType.Number when reader.TryGetInt32(out int number):
                return number;
            case JsonTokenType.String when !reader.ValueIsEscaped &&
                                           Utf8Parser.TryParse(reader.ValueSpan, out int parsed, out int used) &&
                                           used == reader.ValueSpan.Length:
                return parsed;
            case JsonTokenType.Null:
                return 0;
            default:
                throw Malformed($"'{name}' is not a 32-bit integer");
        }
    }

    private static LanguageCode ReadLanguage(ref Utf8JsonReader reader)
    {
        reader.Read();
        return reader.TokenType switch
        {
            JsonTokenType.String => LanguageFromUtf8(reader.ValueSpan, reader.ValueIsEscaped, ref reader),
            JsonTokenType.Number when reader.TryGetInt64(out long code) => LanguageCodeNames.FromCode(code),
            JsonTokenType.Null => LanguageCode.Java,
            _ => throw Malformed("'language' is neither a name nor a code"),
        };
    }

    private static LanguageCode LanguageFromUtf8(ReadOnlySpan<byte> utf8, bool escaped, ref Utf8JsonReader reader)
    {
        if (escaped) return LanguageCodeNames.FromWireName(reader.GetString());
        Span<char> chars = stackalloc char[16];
        if (utf8.Length > chars.Length) return LanguageCode.Other;
        int count = Encoding.UTF8.GetChars(utf8, chars);
        return LanguageCodeNames.FromWireName(chars[..count]);
    }

    private static void ReadExtFields(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, RemotingCommand target)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null) return;
        if (reader.TokenType != JsonTokenType.StartObject) throw Malformed("'extFields' is not an object");
        var fields = target.ExtFields;
        int count = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (++count > HeaderLimits.MaxExtFields) throw Malformed($"more than {HeaderLimits.MaxExtFields} extFields");
            if (reader.ValueSpan.Length > HeaderLimits.MaxKeyBytes) throw Malformed($"an extFields key exceeds {HeaderLimits.MaxKeyBytes} bytes");
            string key = reader.ValueIsEscaped ? reader.GetString()! : HeaderKeyCache.GetOrCreate(reader.ValueSpan);
            string? value = ReadOptionalText(ref reader, json);
            if (value is not null && value.Length > HeaderLimits.MaxValueBytes) throw Malformed($"an extFields value exceeds {HeaderLimits.MaxValueBytes} characters");
            // Java drops null values when it builds the map; we do the same.
            if (value is not null) fields.Set(key, value);
        }
        if (reader.TokenType != JsonTokenType.EndObject) throw Malformed("unterminated 'extFields' object");
    }

    private static string? ReadRemark(ref Utf8JsonReader reader, ReadOnlySpan<byte> json)
    {
        string? remark = ReadOptionalText(ref reader, json);
        if (remark is not null && remark.Length > HeaderLimits.MaxValueBytes) throw Malformed($"'remark' exceeds {HeaderLimits.MaxValueBytes} characters");
        return remark;
    }

    /// <summary>Reads any JSON value as the string Java's fastjson would coerce it to; null stays null.</summary>
    private static string? ReadOptionalText(ref Utf8JsonReader reader, ReadOnlySpan<byte> json)
    {
        reader.Read();
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return reader.GetString();
            case JsonTokenType.Number:
                return JavaNumberText(reader.ValueSpan);
            case JsonTokenType.True:
                return "true";
            case JsonTokenType.False:
                return "false";
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.StartObject or JsonTokenType.StartArray:
                int start = (int)reader.TokenStartIndex;
                reader.Skip();
                return Encoding.UTF8.GetString(json[start..(int)reader.BytesConsumed]);
            default:
                throw Malformed($"unexpected token {reader.TokenType}");
        }
    }

    /// <summary>
    /// Java string form of a JSON number: integers as decimal digits, integral fractions/exponents as plain
    /// integers ("1e3" -> "1000"), other fractions as plain decimals without exponent.
    /// </summary>
    internal static string JavaNumberText(ReadOnlySpan<byte> literal)
    {
        if (literal.IndexOfAny(".eE"u8) < 0)
        {
            return literal.SequenceEqual("-0"u8) ? "0" : Encoding.UTF8.GetString(literal);
        }
        string text = Encoding.UTF8.GetString(literal);
        if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out decimal exact))
        {
            return decimal.Truncate(exact) == exact
                ? decimal.Truncate(exact).ToString("0", CultureInfo.InvariantCulture)
                : exact.ToString(CultureInfo.InvariantCulture);
        }
        double approx = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        if (double.IsFinite(approx) && Math.Floor(approx) == approx)
        {
            return new BigInteger(approx).ToString(CultureInfo.InvariantCulture);
        }
        return approx.ToString("R", CultureInfo.InvariantCulture);
    }

    private static RemotingFrameException Malformed(string reason, Exception? inner = null) =>
        new(FrameError.MalformedHeader, "Malformed JSON remoting header: " + reason, inner);
}
