namespace RaftMq.Protocol.Frames;

/// <summary>Header serialization, the top byte of the frame's second int32. Responses use the request's type.</summary>
public enum SerializeType : byte
{
    /// <summary>UTF-8 JSON header; every client we care about sends it.</summary>
    Json = 0,

    /// <summary>RocketMQ's compact binary header (ROCKETMQ_SERIALIZE_TYPE=ROCKETMQ on Java clients).</summary>
    RocketMq = 1,
}
