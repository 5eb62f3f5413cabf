using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace RaftMq.Protocol.Bodies;

/// <summary>
/// Body of the INVOKE_BROKER_TO_RESET_OFFSET (222) reply and of RESET_CONSUMER_CLIENT_OFFSET (220): every queue's new
/// offset. RocketMQ's fastjson form keys a map by MessageQueue objects, which is not JSON; RaftMq sends the same data as a
/// list, as it does for GET_TOPIC_STATS_INFO (docs/compatibility.md).
/// </summary>
public sealed class ResetOffsetBody : IJsonBody<ResetOffsetBody>
{
    [JsonPropertyName("offsetTable")]
    public List<QueueResetOffset> OffsetTable { get; set; } = [];

    static JsonTypeInfo<ResetOffsetBody> IJsonBody<ResetOffsetBody>.TypeInfo => ResetOffsetJsonContext.Default.ResetOffsetBody;
}

/// <summary>One queue of a reset: its new offset, and (RaftMq's additions) the group's offset before and the queue's max.</summary>
public sealed class QueueResetOffset
{
    [JsonPropertyName("messageQueue")]
    public MessageQueue MessageQueue { get; set; } = new();

    [JsonPropertyName("offset")]
    public long Offset { get; set; }

    /// <summary>The group's committed offset before the reset, -1 when it had none.</summary>
    [JsonPropertyName("previousOffset")]
    public long PreviousOffset { get; set; } = -1;

    [JsonPropertyName("brokerOffset")]
    public long BrokerOffset { get; set; }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, PropertyNameCaseInsensitive = true,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(ResetOffsetBody))]
internal sealed partial class ResetOffsetJsonContext : JsonSerializerContext;
