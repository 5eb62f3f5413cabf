using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using RaftMq.Client;

namespace RaftMq.Integration.Tests.Compat;

/// <summary>
/// A message both clients send and check: tag, two keys, user properties (one non-ASCII) and a body. The set made
/// by <see cref="CreateSet"/> covers what clients treat differently: a short ASCII body, compressible and
/// incompressible bodies over the 4 KiB compression threshold, and a non-ASCII UTF-8 body.
/// </summary>
internal sealed record InteropMessage(string Topic, string Tags, IReadOnlyList<string> Keys, IReadOnlyDictionary<string, string> Properties, byte[] Body)
{
    /// <summary>The user property that identifies a message across clients.</summary>
    public const string CorrelationProperty = "cid";

    public string Cid => Properties[CorrelationProperty];

    public static IReadOnlyList<InteropMessage> CreateSet(string topic, string label)
    {
        byte[][] bodies =
        [
            Encoding.UTF8.GetBytes($"{label}: plain ASCII body"),
            Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat($"{label} compressible line ".PadRight(64, '.'), 160))),
            [.. Enumerable.Range(0, 80).SelectMany(k => SHA512.HashData(Encoding.UTF8.GetBytes($"{label}/{k}")))],
            Encoding.UTF8.GetBytes($"{label}: Grüße, 你好，世界 — ñandú 🚀"),
        ];
        return [.. bodies.Select((body, i) => new InteropMessage(
            topic,
            i % 2 == 0 ? "TagA" : "TagB",
            [$"{label}-key-{i}", $"{label}-shared"],
            new Dictionary<string, string>
            {
                [CorrelationProperty] = $"{label}-{i}",
                ["seq"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["note"] = $"çà et là · 値 {i}",
            },
            body))];
    }

    /// <summary>The message in tools/producer.js format.</summary>
    public JsonObject ToNodeSpec()
    {
        var properties = new JsonObject();
        foreach (var (name, value) in Properties) properties[name] = value;
        return new JsonObject
        {
            ["topic"] = Topic,
            ["tags"] = Tags,
            ["keys"] = new JsonArray([.. Keys.Select(k => (JsonNode)k)]),
            ["properties"] = properties,
            ["body"] = Convert.ToBase64String(Body),
        };
    }

    /// <summary>The message for the RaftMq .NET producer.</summary>
    public Message ToClientMessage()
    {
        var message = new Message(Topic, Body, Tags);
        message.SetKeys(Keys);
        foreach (var (name, value) in Properties) message.SetProperty(name, value);
        return message;
    }
}
