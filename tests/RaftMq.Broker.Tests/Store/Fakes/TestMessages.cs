using System.Text;
using RaftMq.Protocol.Messages;

namespace RaftMq.Broker.Tests.Store.Fakes;

/// <summary>Stored-message records as the send processor encodes them (QUEUEOFFSET and PHYSICALOFFSET 0).</summary>
internal static class TestMessages
{
    public static readonly MessageHost StoreHost = MessageHost.Parse("127.0.0.1:30911");

    public static byte[] Encode(string topic, int queueId, string body, string? tags = null, string? keys = null,
        string? uniqueKey = null, long storeTimestamp = 1_700_000_000_000, string? scheduledFrom = null)
    {
        var properties = new StringBuilder();
        Append(properties, MessageProperty.Tags, tags);
        Append(properties, MessageProperty.Keys, keys);
        Append(properties, MessageProperty.UniqueClientMessageIdKeyIndex, uniqueKey);
        Append(properties, MessageProperty.ScheduledFrom, scheduledFrom);
        byte[] bodyBytes = Encoding.UTF8.GetBytes(body);
        var fields = new StoredMessageFields
        {
            QueueId = queueId,
            BornTimestamp = storeTimestamp - 1,
            BornHost = MessageHost.Parse("10.0.0.7:50000"),
            StoreTimestamp = storeTimestamp,
            StoreHost = StoreHost,
        };
        var record = new byte[StoredMessageCodec.GetRecordSize(bodyBytes.Length, topic, properties.ToString())];
        StoredMessageCodec.Encode(record, fields, bodyBytes, topic, properties.ToString());
        return record;
    }

    public static List<DecodedMessage> Decode(ReadOnlySpan<byte> pullBody)
    {
        var messages = new List<DecodedMessage>();
        foreach (var view in StoredMessageView.ReadAll(pullBody)) messages.Add(view.ToDecodedMessage());
        return messages;
    }

    private static void Append(StringBuilder properties, string name, string? value)
    {
        if (value is null) return;
        if (properties.Length > 0) properties.Append(MessageProperties.PropertySeparator);
        properties.Append(name).Append(MessageProperties.NameValueSeparator).Append(value);
    }
}
