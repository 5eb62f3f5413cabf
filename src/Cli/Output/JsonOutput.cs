using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace RaftMq.Cli.Output;

/// <summary>Indented JSON for the <c>--json</c> output of admin verbs, written with <see cref="Utf8JsonWriter"/> (no
/// reflection): scripts get stable key names, humans the tables.</summary>
public static class JsonOutput
{
    private static readonly JsonWriterOptions Options = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Write(Action<Utf8JsonWriter> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            write(writer);
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + Environment.NewLine;
    }

    /// <summary>Re-indents a compact JSON document (a protocol body).</summary>
    public static string Indent(string json)
    {
        using var document = JsonDocument.Parse(json);
        return Write(writer => document.WriteTo(writer));
    }

    public static string StringArray(IEnumerable<string> values) => Write(writer =>
    {
        writer.WriteStartArray();
        foreach (string value in values) writer.WriteStringValue(value);
        writer.WriteEndArray();
    });

    public static string StringMap(IEnumerable<KeyValuePair<string, string>> entries) => Write(writer =>
    {
        writer.WriteStartObject();
        foreach (var (key, value) in entries) writer.WriteString(key, value);
        writer.WriteEndObject();
    });
}
