using System.Text;
using RaftMq.Protocol.Messages;

namespace RaftMq.Broker.Processors.Send;

/// <summary>
/// Encodes one message in the stored layout with the broker's additions to its properties (CLUSTER appended the
/// way Java re-encodes them: a later duplicate wins on parse), straight into the batch buffer: no intermediate
/// strings or arrays.
/// </summary>
internal static class MessageRecordWriter
{
    private static ReadOnlySpan<byte> ClusterPrefix => "CLUSTER\u0001"u8;

    /// <summary>UTF-8 length of the stored properties: the producer's text plus the CLUSTER property.</summary>
    public static int MeasureProperties(int originalLength, bool endsWithSeparator, int clusterLength) =>
        originalLength + (originalLength > 0 && !endsWithSeparator ? 1 : 0) + ClusterPrefix.Length + clusterLength;

    /// <summary>Writes a record whose properties come as text (single send headers) and commits it to the batch.</summary>
    public static void Append(RecordBatch batch, in StoredMessageFields fields, ReadOnlySpan<byte> body, string topic,
        string? properties, string cluster)
    {
        int originalLength = properties is null ? 0 : Encoding.UTF8.GetByteCount(properties);
        bool endsWithSeparator = properties is { Length: > 0 } && properties[^1] == MessageProperties.PropertySeparator;
        int propertiesLength = MeasureProperties(originalLength, endsWithSeparator, Encoding.UTF8.GetByteCount(cluster));
        int topicLength = Encoding.UTF8.GetByteCount(topic);
        int size = StoredMessageLayout.GetRecordSize(body.Length, topicLength, propertiesLength);
        var record = batch.Reserve(size);
        int topicAt = StoredMessageLayout.BodyOffset + body.Length + 1;
        int propertiesAt = topicAt + topicLength + 2;
        Encoding.UTF8.GetBytes(topic, record[topicAt..]);
        int written = properties is null ? 0 : Encoding.UTF8.GetBytes(properties, record[propertiesAt..]);
        AppendCluster(record[propertiesAt..], written, endsWithSeparator, cluster);
        StoredMessageCodec.Encode(record, fields, body, record.Slice(topicAt, topicLength), record.Slice(propertiesAt, propertiesLength));
        batch.Commit(size);
    }

    /// <summary>Writes a record whose properties come as UTF-8 bytes (batch bodies, send-back) and commits it.</summary>
    public static void Append(RecordBatch batch, in StoredMessageFields fields, ReadOnlySpan<byte> body, string topic,
        ReadOnlySpan<byte> propertiesUtf8, string cluster)
    {
        bool endsWithSeparator = !propertiesUtf8.IsEmpty && propertiesUtf8[^1] == (byte)MessageProperties.PropertySeparator;
        int propertiesLength = MeasureProperties(propertiesUtf8.Length, endsWithSeparator, Encoding.UTF8.GetByteCount(cluster));
        int topicLength = Encoding.UTF8.GetByteCount(topic);
        int size = StoredMessageLayout.GetRecordSize(body.Length, topicLength, propertiesLength);
        var record = batch.Reserve(size);
        int topicAt = StoredMessageLayout.BodyOffset + body.Length + 1;
        int propertiesAt = topicAt + topicLength + 2;
        Encoding.UTF8.GetBytes(topic, record[topicAt..]);
        propertiesUtf8.CopyTo(record[propertiesAt..]);
        AppendCluster(record[propertiesAt..], propertiesUtf8.Length, endsWithSeparator, cluster);
        StoredMessageCodec.Encode(record, fields, body, record.Slice(topicAt, topicLength), record.Slice(propertiesAt, propertiesLength));
        batch.Commit(size);
    }

    /// <summary>Writes a record with exactly the given properties (they already carry CLUSTER) and commits it.</summary>
    public static void AppendVerbatim(RecordBatch batch, in StoredMessageFields fields, ReadOnlySpan<byte> body, string topic,
        ReadOnlySpan<byte> propertiesUtf8)
    {
        int topicLength = Encoding.UTF8.GetByteCount(topic);
        int size = StoredMessageLayout.GetRecordSize(body.Length, topicLength, propertiesUtf8.Length);
        var record = batch.Reserve(size);
        int topicAt = StoredMessageLayout.BodyOffset + body.Length + 1;
        Encoding.UTF8.GetBytes(topic, record[topicAt..]);
        StoredMessageCodec.Encode(record, fields, body, record.Slice(topicAt, topicLength), propertiesUtf8);
        batch.Commit(size);
    }

    private static void AppendCluster(Span<byte> destination, int position, bool endsWithSeparator, string cluster)
    {
        if (position > 0 && !endsWithSeparator) destination[position++] = (byte)MessageProperties.PropertySeparator;
        ClusterPrefix.CopyTo(destination[position..]);
        Encoding.UTF8.GetBytes(cluster, destination[(position + ClusterPrefix.Length)..]);
    }
}
