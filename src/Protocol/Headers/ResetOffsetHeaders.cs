using static RaftMq.Protocol.Headers.HeaderFields;

namespace RaftMq.Protocol.Headers;

/// <summary>
/// INVOKE_BROKER_TO_RESET_OFFSET (222) and RESET_CONSUMER_CLIENT_OFFSET (220) request, RocketMQ's ResetOffsetRequestHeader:
/// the group's offsets of every queue of the topic move to the first message stored at or after <see cref="Timestamp"/>
/// (ms; -1 = the max offset); without <see cref="IsForce"/> a queue only moves backwards.
/// </summary>
public readonly record struct ResetOffsetRequestHeader
{
    public required string Topic { get; init; }

    public required string Group { get; init; }

    public required long Timestamp { get; init; }

    public bool IsForce { get; init; }

    public static ResetOffsetRequestHeader FromExtFields(StringMap fields) => new()
    {
        Topic = RequiredString(fields, "topic"),
        Group = RequiredString(fields, "group"),
        Timestamp = RequiredInt64(fields, "timestamp"),
        IsForce = OptionalBoolean(fields, "isForce") ?? false,
    };

    public void ToExtFields(StringMap fields)
    {
        Put(fields, "topic", Topic);
        Put(fields, "group", Group);
        Put(fields, "timestamp", Timestamp);
        Put(fields, "isForce", IsForce);
    }
}
