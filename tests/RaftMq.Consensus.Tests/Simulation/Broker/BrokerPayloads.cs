using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using RaftMq.Broker.Store.Control;
using RaftMq.Protocol.Messages;

namespace RaftMq.Consensus.Tests.Simulation.Broker;

/// <summary>What clients propose when the broker's state machine runs: stored messages (as a leader's send writes them)
/// carrying the proposal id in their body, to two queues of one topic with a key each, now and then a consumer
/// offset commit, and rarely a drop of the topic's queues (cleanUnusedTopic).</summary>
internal static class BrokerPayloads
{
    public const string Topic = "SimTopic";
    public const string Group = "SimGroup";
    public const int Queues = 2;
    private static readonly byte[] TopicUtf8 = Encoding.UTF8.GetBytes(Topic);

    public static byte[] Message(long id, Random random, int extraBytes)
    {
        var body = new byte[8 + random.Next(extraBytes + 1)];
        BinaryPrimitives.WriteInt64BigEndian(body, id);
        random.NextBytes(body.AsSpan(8));
        byte[] properties = Encoding.UTF8.GetBytes($"TAGS\u0001t{id % 3}\u0002KEYS\u0001k{id}\u0002");
        var fields = new StoredMessageFields
        {
            QueueId = (int)Math.Abs(id % Queues),
            BornTimestamp = 1_767_225_600_000 + id,
            StoreTimestamp = 1_767_225_600_000 + id,
            BornHost = MessageHost.Parse("127.0.0.1:50000"),
            StoreHost = MessageHost.Parse("127.0.0.1:30911"),
        };
        var record = new byte[StoredMessageLayout.GetRecordSize(body.Length, TopicUtf8.Length, properties.Length)];
        StoredMessageCodec.Encode(record, fields, body, TopicUtf8, properties);
        return record;
    }

    /// <summary>A clean-up of the topic's queues (the topic is in no topic table here, so it applies): its queues start
    /// again at offset 0 and the group's offsets of it go.</summary>
    public static byte[] QueuesDrop() =>
        ControlRecord.Encode(ControlRecordType.TopicQueuesDrop,
            JsonSerializer.SerializeToUtf8Bytes(new TopicQueuesDropPayload([Topic]), StoreJsonContext.Default.TopicQueuesDropPayload));

    /// <summary>The group's offset in one queue, as the leader's committer writes it.</summary>
    public static byte[] ConsumerOffset(long id)
    {
        var payload = new ConsumerOffsetsPayload([new ConsumerOffsetRecord(Group, Topic, (int)(id % Queues), id)]);
        return ControlRecord.Encode(ControlRecordType.ConsumerOffsets, JsonSerializer.SerializeToUtf8Bytes(payload, StoreJsonContext.Default.ConsumerOffsetsPayload));
    }
}
