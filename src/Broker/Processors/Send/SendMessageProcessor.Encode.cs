using System.Text;
using RaftMq.Protocol.Frames;
using RaftMq.Protocol.Headers;
using RaftMq.Protocol.Messages;

namespace RaftMq.Broker.Processors.Send;

public sealed partial class SendMessageProcessor
{
    /// <summary>Encodes a single send into <paramref name="records"/>; a reply when the message is illegal (nothing stored).</summary>
    private RemotingCommand? EncodeSingle(RecordBatch records, RemotingCommand request, SendMessageRequestHeader header,
        SendTarget target, MessageHost bornHost)
    {
        var body = request.Body.Span;
        if (TooLarge(request, body.Length) is { } tooLarge) return tooLarge;
        if (MessageValidation.CompressedBodyProblem(header.SysFlag, body, _options.MaxMessageSizeBytes) is { } undecodable) return Illegal(request, undecodable);
        string? properties = target.Prepared ? Transaction.HalfMessages.Properties(header.Properties, target.Topic, target.QueueId, header.ProducerGroup)
            : target.DelayLevel > 0 ? ScheduledProperties(header.Properties, target.Destination)
            : header.Properties;
        int originalLength = properties is null ? 0 : Encoding.UTF8.GetByteCount(properties);
        bool endsWithSeparator = properties is { Length: > 0 } p && p[^1] == MessageProperties.PropertySeparator;
        int propertiesLength = MessageRecordWriter.MeasureProperties(originalLength, endsWithSeparator, Encoding.UTF8.GetByteCount(_options.ClusterName));
        if (PropertiesTooLong(request, propertiesLength) is { } tooLong) return tooLong;
        MessageRecordWriter.Append(records, Fields(header, target, bornHost, header.Flag), body, target.StoreTopic, properties, _options.ClusterName);
        return null;
    }

    /// <summary>Encodes every message of a SEND_BATCH_MESSAGE body; a reply when the batch is illegal (nothing stored).</summary>
    private RemotingCommand? EncodeBatch(RecordBatch records, RemotingCommand request, SendMessageRequestHeader header,
        SendTarget target, MessageHost bornHost)
    {
        if (TooLarge(request, request.Body.Length) is { } tooLarge) return tooLarge;
        int clusterLength = Encoding.UTF8.GetByteCount(_options.ClusterName);
        try
        {
            foreach (var message in BatchMessageCodec.ReadAll(request.Body.Span))
            {
                var properties = message.PropertiesUtf8;
                if ((MessageProperties.TryGetValue(properties, "DELAY"u8, out var delay) && !delay.IsEmpty && delay[0] is >= (byte)'1' and <= (byte)'9')
                    || MessageProperties.TryGetValue(properties, "__STARTDELIVERTIME"u8, out _))
                {
                    return Illegal(request, "a batch cannot hold delayed messages (DELAY, __STARTDELIVERTIME); send them one by one. Nothing was stored");
                }
                if (MessageProperties.TryGetValue(properties, "RMQ_SCHEDULED_FROM"u8, out _))
                {
                    return Illegal(request, $"property {MessageProperty.ScheduledFrom} is reserved for the broker; nothing was stored");
                }
                if ((MessageValidation.PropertiesProblem(properties)
                     ?? MessageValidation.CompressedBodyProblem(header.SysFlag, message.Body, _options.MaxMessageSizeBytes)) is { } invalid)
                {
                    return Illegal(request, invalid);
                }
                bool endsWithSeparator = !properties.IsEmpty && properties[^1] == (byte)MessageProperties.PropertySeparator;
                if (PropertiesTooLong(request, MessageRecordWriter.MeasureProperties(properties.Length, endsWithSeparator, clusterLength)) is { } tooLong)
                {
                    return tooLong;
                }
                MessageRecordWriter.Append(records, Fields(header, target, bornHost, message.Flag), message.Body, target.Topic, properties, _options.ClusterName);
            }
        }
        catch (MessageFormatException ex)
        {
            return Illegal(request, "malformed batch body: " + ex.Message);
        }
        return records.Count == 0 ? Illegal(request, "the batch holds no message") : null;
    }

    /// <summary>The producer's properties plus where the message goes when due (REAL_TOPIC, REAL_QID) and its stored level.</summary>
    private static string ScheduledProperties(string? original, Delay.Destination destination)
    {
        var properties = MessageProperties.Parse(original);
        destination.Describe(properties);
        return MessageProperties.Encode(properties);
    }

    private RemotingCommand? TooLarge(RemotingCommand request, int bodyLength) =>
        bodyLength > _options.MaxMessageSizeBytes
            ? Illegal(request, $"message body of {Number(bodyLength)} bytes exceeds maxMessageSize {Number(_options.MaxMessageSizeBytes)} bytes; nothing was stored")
            : null;

    private static RemotingCommand? PropertiesTooLong(RemotingCommand request, int propertiesLength) =>
        propertiesLength > StoredMessageLayout.MaxPropertiesLength
            ? Illegal(request, $"message properties of {Number(propertiesLength)} bytes exceed {Number(StoredMessageLayout.MaxPropertiesLength)} bytes; nothing was stored")
            : null;
}
