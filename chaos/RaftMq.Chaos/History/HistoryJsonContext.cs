using System.Text.Json.Serialization;

namespace RaftMq.Chaos.History;

/// <summary>Source-generated JSON metadata for history lines (camelCase, nulls omitted).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = false,
    RespectRequiredConstructorParameters = true,
    RespectNullableAnnotations = true)]
[JsonSerializable(typeof(HistoryOp))]
internal sealed partial class HistoryJsonContext : JsonSerializerContext;
