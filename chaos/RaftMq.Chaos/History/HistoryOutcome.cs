using System.Text.Json;
using System.Text.Json.Serialization;

namespace RaftMq.Chaos.History;

/// <summary>A send's outcome as history files and reports spell it, in Jepsen terms: <c>ok</c>, <c>fail</c>, <c>info</c>.</summary>
public static class HistoryOutcome
{
    public static string Name(SendOutcome outcome) => outcome switch
    {
        SendOutcome.Acknowledged => "ok",
        SendOutcome.Failed => "fail",
        _ => "info",
    };

    public static SendOutcome Parse(string? name) => name switch
    {
        "ok" => SendOutcome.Acknowledged,
        "fail" => SendOutcome.Failed,
        "info" => SendOutcome.Unknown,
        _ => throw new JsonException($"unknown send outcome '{name}' (expected ok, fail or info)"),
    };
}

/// <summary>Reads and writes <see cref="SendOutcome"/> as <see cref="HistoryOutcome"/> names.</summary>
internal sealed class HistoryOutcomeJsonConverter : JsonConverter<SendOutcome>
{
    public override SendOutcome Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        HistoryOutcome.Parse(reader.TokenType == JsonTokenType.String ? reader.GetString() : null);

    public override void Write(Utf8JsonWriter writer, SendOutcome value, JsonSerializerOptions options) =>
        writer.WriteStringValue(HistoryOutcome.Name(value));
}
