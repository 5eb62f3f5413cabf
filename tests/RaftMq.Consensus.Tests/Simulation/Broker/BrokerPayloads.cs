using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using RaftMq.Broker.Store.Control;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Messages;

namespace RaftMq.Consensus.Tests.Simulation.Broker;

/// <summary>What clients propose when the broker's state machine runs: stored messages (as a leader's send writes them)
/// carrying the proposal id in their body, spread over three topics of 1-3 queues with a key each, and now and then a
/// control record (a consumer offset commit, a subscription group set or removed, or rarely a drop of a topic's
/// queues: cleanUnusedTopic).</summary>
internal static class BrokerPayloads
{
    /// <summary>The topics and their queue counts.</summary>
    public static readonly IReadOnlyList<(string Name, int Queues)> Topics = [("SimTopic", 2), ("SimOrders", 3), ("SimAudit", 1)];

    public const string Group = "SimGroup";

    private static readonly byte[][] TopicUtf8 = [.. Topics.Select(t => Encoding.UTF8.GetBytes(t.Name))];

    public static byte[] Message(long id, Random random, int extraBytes)
    {
        var (topic, queueId) = QueueOf(id);
        var body = new byte[8 + random.Next(extraBytes + 1)];
        BinaryPrimitives.WriteInt64BigEndian(body, id);
        random.NextBytes(body.AsSpan(8));
        byte[] properties = Encoding.UTF8.GetBytes($"TAGS\u0001t{id % 3}\u0002KEYS\u0001k{id}\u0002");
        var fields = new StoredMessageFields
        {
            QueueId = queueId,
            BornTimestamp = 1_767_225_600_000 + id,
            StoreTimestamp = 1_767_225_600_000 + id,
            BornHost = MessageHost.Parse("127.0.0.1:50000"),
            StoreHost = MessageHost.Parse("127.0.0.1:30911"),
        };
        byte[] topicUtf8 = TopicUtf8[topic];
        var record = new byte[StoredMessageLayout.GetRecordSize(body.Length, topicUtf8.Length, properties.Length)];
        StoredMessageCodec.Encode(record, fields, body, topicUtf8, properties);
        return record;
    }

    /// <summary>A control record: mostly a consumer offset commit, sometimes a subscription group set or removed, rarely
    /// a drop of one topic's queues (the topics are in no topic table here, so it applies: the queues start again at offset 0
    /// and the offsets committed for the topic go).</summary>
    public static byte[] Control(long id, Random random) => random.Next(20) switch
    {
        < 12 => ConsumerOffset(id),
        < 18 => ControlRecord.Encode(ControlRecordType.SubscriptionGroupUpsert, JsonSerializer.SerializeToUtf8Bytes(
            new SubscriptionGroupConfig { GroupName = $"{Group}{id % 3}", RetryMaxTimes = (int)(id % 17) }, StoreJsonContext.Default.SubscriptionGroupConfig)),
        < 19 => ControlRecord.Encode(ControlRecordType.SubscriptionGroupDelete, JsonSerializer.SerializeToUtf8Bytes(
            new SubscriptionGroupDeletePayload($"{Group}{id % 3}"), StoreJsonContext.Default.SubscriptionGroupDeletePayload)),
        _ => ControlRecord.Encode(ControlRecordType.TopicQueuesDrop, JsonSerializer.SerializeToUtf8Bytes(
            new TopicQueuesDropPayload([Topics[(int)(id % Topics.Count)].Name]), StoreJsonContext.Default.TopicQueuesDropPayload)),
    };

    /// <summary>The group's offset in one queue, as the leader's committer writes it.</summary>
    public static byte[] ConsumerOffset(long id)
    {
        var (topic, queueId) = QueueOf(id);
        var payload = new ConsumerOffsetsPayload([new ConsumerOffsetRecord(Group, Topics[topic].Name, queueId, id)]);
        return ControlRecord.Encode(ControlRecordType.ConsumerOffsets, JsonSerializer.SerializeToUtf8Bytes(payload, StoreJsonContext.Default.ConsumerOffsetsPayload));
    }

    /// <summary>Topic (index into <see cref="Topics"/>) and queue of a proposal id (probes have negative ids).</summary>
    private static (int Topic, int QueueId) QueueOf(long id)
    {
        long n = Math.Abs(id);
        int topic = (int)(n % Topics.Count);
        return (topic, (int)(n / Topics.Count % Topics[topic].Queues));
    }
}
