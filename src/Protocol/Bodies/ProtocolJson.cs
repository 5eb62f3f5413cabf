using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace RaftMq.Protocol.Bodies;

/// <summary>A JSON remoting body type with its source-generated metadata.</summary>
public interface IJsonBody<TSelf>
    where TSelf : IJsonBody<TSelf>
{
    static abstract JsonTypeInfo<TSelf> TypeInfo { get; }
}

/// <summary>A JSON body that does not parse as its type.</summary>
public sealed class BodyFormatException : RemotingProtocolException
{
    public BodyFormatException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}

/// <summary>
/// Encodes and decodes JSON bodies with source-generated metadata (no reflection). Output is standard JSON;
/// input may also be in fastjson's legacy form with unquoted map keys (<c>{0:"host:port"}</c>).
/// </summary>
public static class ProtocolJson
{
    public static byte[] Encode<T>(T value)
        where T : IJsonBody<T> =>
        JsonSerializer.SerializeToUtf8Bytes(value, T.TypeInfo);

    public static string EncodeToString<T>(T value)
        where T : IJsonBody<T> =>
        JsonSerializer.Serialize(value, T.TypeInfo);

    /// <summary>Decodes a body; malformed JSON throws <see cref="BodyFormatException"/>.</summary>
    public static T Decode<T>(ReadOnlySpan<byte> utf8)
        where T : IJsonBody<T>
    {
        try
        {
            return JsonSerializer.Deserialize(utf8, T.TypeInfo) ?? throw new BodyFormatException($"{typeof(T).Name} body is null.");
        }
        catch (JsonException first)
        {
            // Legacy fastjson output (old name servers) writes integer map keys unquoted; quote them and retry.
            if (!FastJsonNormalizer.TryQuoteBareKeys(utf8, out var normalized)) throw Wrap<T>(first);
            try
            {
                return JsonSerializer.Deserialize(normalized, T.TypeInfo) ?? throw new BodyFormatException($"{typeof(T).Name} body is null.");
            }
            catch (JsonException second)
            {
                throw Wrap<T>(second);
            }
        }
    }

    private static BodyFormatException Wrap<T>(JsonException ex) =>
        new($"Malformed {typeof(T).Name} JSON body: {ex.Message}", ex);

    internal static readonly ProtocolJsonContext Context = new(new JsonSerializerOptions
    {
        // Keep non-ASCII text readable; output stays strict JSON.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        PropertyNameCaseInsensitive = true,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
        AllowTrailingCommas = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
    });
}

[JsonSerializable(typeof(DataVersion))]
[JsonSerializable(typeof(TopicRouteData))]
[JsonSerializable(typeof(ClusterInfo))]
[JsonSerializable(typeof(TopicList))]
[JsonSerializable(typeof(KvTable))]
[JsonSerializable(typeof(TopicConfigSerializeWrapper))]
[JsonSerializable(typeof(RegisterBrokerBody))]
[JsonSerializable(typeof(HeartbeatData))]
[JsonSerializable(typeof(ConsumerListByGroupResponseBody))]
[JsonSerializable(typeof(LockBatchRequestBody))]
[JsonSerializable(typeof(LockBatchResponseBody))]
[JsonSerializable(typeof(CheckClientRequestBody))]
[JsonSerializable(typeof(MessageQueue))]
internal sealed partial class ProtocolJsonContext : JsonSerializerContext;
