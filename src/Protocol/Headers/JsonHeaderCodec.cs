using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Frames;

namespace RaftMq.Protocol.Headers;

/// <summary>
/// The JSON remoting header (serialize type 0). Writes strict standard JSON with Java's (fastjson's sorted) key
/// order; reads leniently: unknown keys are skipped, extFields values may be strings, numbers, booleans or null
/// (ali-ons sends raw JavaScript values) and are converted to the string Java would see.
/// </summary>
public static partial class JsonHeaderCodec
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // Relaxed escaping keeps non-ASCII text as UTF-8; control characters such as \u0001 are still escaped,
        // so the output stays strict JSON that JSON.parse accepts.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>
    /// Writes the header of <paramref name="command"/> as
    /// <c>{"code":..,"extFields":{..},"flag":..,"language":"JAVA","opaque":..,"remark":..,"serializeTypeCurrentRPC":"JSON","version":..}</c>.
    /// extFields is always present (the Java client fails on a SEND response without it); remark only when set.
    /// </summary>
    public static void Write(RemotingCommand command, IBufferWriter<byte> output)
    {
        var writer = t_writer ??= new Utf8JsonWriter(NullBufferWriter.Instance, WriterOptions);
        writer.Reset(output);
        try
        {
            writer.WriteStartObject();
            writer.WriteNumber("code"u8, command.Code);
            writer.WriteStartObject("extFields"u8);
            if (command.ExtFieldsOrNull is { } fields)
            {
                foreach (var field in fields) writer.WriteString(field.Key, field.Value);
            }
            writer.WriteEndObject();
            writer.WriteNumber("flag"u8, command.Flag);
            writer.WriteString("language"u8, LanguageCodeNames.ToWireName(command.Language));
            writer.WriteNumber("opaque"u8, command.Opaque);
            if (command.Remark is not null) writer.WriteString("remark"u8, command.Remark);
            writer.WriteString("serializeTypeCurrentRPC"u8, "JSON"u8);
            writer.WriteNumber("version"u8, command.Version);
            writer.WriteEndObject();
            writer.Flush();
        }
        finally
        {
            // Do not keep the caller's buffer reachable from a thread-static.
            writer.Reset(NullBufferWriter.Instance);
        }
    }

    /// <summary>The header as a JSON string (diagnostics and tests).</summary>
    public static string WriteToString(RemotingCommand command)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        Write(command, buffer);
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private sealed class NullBufferWriter : IBufferWriter<byte>
    {
        public static readonly NullBufferWriter Instance = new();

        public void Advance(int count) => throw new InvalidOperationException("No output attached.");

        public Memory<byte> GetMemory(int sizeHint = 0) => throw new InvalidOperationException("No output attached.");

        public Span<byte> GetSpan(int sizeHint = 0) => throw new InvalidOperationException("No output attached.");
    }
}
