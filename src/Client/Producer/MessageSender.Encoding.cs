using System.Globalization;
using System.Text;
using RaftMq.Client.Instance;
using RaftMq.Client.Trace;
using RaftMq.Protocol;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Frames;
using RaftMq.Protocol.Headers;
using RaftMq.Protocol.Messages;

namespace RaftMq.Client.Producer;

internal sealed partial class MessageSender
{
    /// <summary>Validates <paramref name="message"/>, gives it a UNIQ_KEY if it has none and encodes it.</summary>
    public WireMessage Prepare(Message message)
    {
        ValidateTopic(message.Topic);
        ValidateBody(message.Body);
        string msgId = EnsureUniqueKey(message);
        IReadOnlyList<TracedMessage>? traced = TracesTopic(message.Topic) ? [TracedMessage.From(message, msgId)] : null;
        var properties = ToStringMap(message);
        int? reconsumeTimes = TakeInt(properties, MessageProperty.ReconsumeTime);
        int? maxReconsumeTimes = TakeInt(properties, MessageProperty.MaxReconsumeTimes);
        byte[] body = message.Body;
        int sysFlag = 0;
        if (body.Length >= _options.CompressBodyThresholdBytes)
        {
            body = BodyCompression.Compress(body);
            sysFlag |= MessageSysFlag.Compressed;
        }
        if (body.Length > _options.MaxMessageSizeBytes)
        {
            throw new MQClientException(ResponseCode.MessageIllegal, $"Message body of {body.Length} bytes exceeds MaxMessageSizeBytes {_options.MaxMessageSizeBytes}.");
        }
        return new WireMessage
        {
            Topic = message.Topic, Body = body, SysFlag = sysFlag, Flag = message.Flag,
            Properties = MessageProperties.Encode(properties), MsgId = msgId,
            ReconsumeTimes = reconsumeTimes, MaxReconsumeTimes = maxReconsumeTimes, Traced = traced,
        };
    }

    /// <summary>Encodes a batch: same topic, no delay, no retry topic; each message gets its own UNIQ_KEY.</summary>
    public WireMessage PrepareBatch(IReadOnlyList<Message> messages)
    {
        if (messages.Count == 0) throw new MQClientException(ResponseCode.MessageIllegal, "A batch needs at least one message.");
        string topic = messages[0].Topic;
        ValidateTopic(topic);
        var ids = new string[messages.Count];
        var traced = TracesTopic(topic) ? new List<TracedMessage>(messages.Count) : null;
        var parts = new List<(Message Message, byte[] Properties)>(messages.Count);
        int size = 0;
        for (int i = 0; i < messages.Count; i++)
        {
            var message = messages[i];
            if (message.Topic != topic) throw new MQClientException(ResponseCode.MessageIllegal, "All messages of a batch must have the same topic.");
            if (message.DelayTimeLevel > 0) throw new MQClientException(ResponseCode.MessageIllegal, "Batch messages cannot be delayed.");
            if (SystemNames.IsRetryTopic(topic)) throw new MQClientException(ResponseCode.MessageIllegal, "Batches cannot go to a retry topic.");
            ValidateBody(message.Body);
            ids[i] = EnsureUniqueKey(message);
            traced?.Add(TracedMessage.From(message, ids[i]));
            byte[] properties = Encoding.UTF8.GetBytes(MessageProperties.Encode(ToStringMap(message)));
            parts.Add((message, properties));
            size += BatchMessageCodec.GetEncodedLength(message.Body.Length, properties.Length);
        }
        if (size > _options.MaxMessageSizeBytes)
        {
            throw new MQClientException(ResponseCode.MessageIllegal, $"Batch of {size} bytes exceeds MaxMessageSizeBytes {_options.MaxMessageSizeBytes}.");
        }
        var body = new byte[size];
        int position = 0;
        foreach (var (message, properties) in parts)
        {
            position += BatchMessageCodec.Encode(body.AsSpan(position), message.Flag, message.Body, properties);
        }
        return new WireMessage
        {
            Topic = topic, Body = body, SysFlag = 0, Flag = 0, Properties = null, MsgId = string.Join(",", ids), IsBatch = true, Traced = traced,
        };
    }

    private bool TracesTopic(string topic) => _tracer?.Traces(topic) == true;

    private RemotingCommand BuildRequest(WireMessage wire, MessageQueue queue)
    {
        var header = new SendMessageRequestHeader
        {
            ProducerGroup = _options.ProducerGroup,
            Topic = wire.Topic,
            DefaultTopic = _options.CreateTopicKey ?? SystemNames.AutoCreateTopicKeyTopic,
            DefaultTopicQueueNums = _options.DefaultTopicQueueNums,
            QueueId = queue.QueueId,
            SysFlag = wire.SysFlag,
            BornTimestamp = _time.GetUtcNow().ToUnixTimeMilliseconds(),
            Flag = wire.Flag,
            Properties = wire.Properties,
            ReconsumeTimes = wire.ReconsumeTimes ?? 0,
            UnitMode = false,
            MaxReconsumeTimes = wire.MaxReconsumeTimes,
            Batch = wire.IsBatch ? true : null,
        };
        var request = RemotingCommand.CreateRequest(wire.IsBatch ? RequestCode.SendBatchMessage : RequestCode.SendMessageV2);
        header.ToV2ExtFields(request.ExtFields);
        request.Language = LanguageCode.DotNet;
        request.Body = wire.Body;
        return request;
    }

    private static SendResult ToResult(RemotingCommand response, WireMessage wire, MessageQueue queue)
    {
        var header = SendMessageResponseHeader.FromExtFields(response.ExtFields);
        var status = response.Code switch
        {
            ResponseCode.FlushDiskTimeout => SendStatus.FlushDiskTimeout,
            ResponseCode.FlushSlaveTimeout => SendStatus.FlushSlaveTimeout,
            ResponseCode.SlaveNotAvailable => SendStatus.SlaveNotAvailable,
            _ => SendStatus.SendOk,
        };
        return new SendResult
        {
            Status = status,
            MsgId = wire.MsgId,
            OffsetMsgId = header.MsgId,
            Queue = new MessageQueue { Topic = queue.Topic, BrokerName = queue.BrokerName, QueueId = header.QueueId },
            QueueOffset = header.QueueOffset,
            TransactionId = header.TransactionId,
            RegionId = header.MessageRegion,
            TraceOn = header.TraceOn != "false",
        };
    }

    private string EnsureUniqueKey(Message message)
    {
        if (message.GetProperty(MessageProperty.UniqueClientMessageIdKeyIndex) is { } existing) return existing;
        string id = _instance.IdGenerator.Next();
        message.SetProperty(MessageProperty.UniqueClientMessageIdKeyIndex, id);
        return id;
    }

    private static StringMap ToStringMap(Message message)
    {
        var map = new StringMap(message.Properties.Count);
        foreach (var (name, value) in message.Properties) map.Set(name, value);
        return map;
    }

    private static int? TakeInt(StringMap properties, string name)
    {
        if (!properties.TryGetValue(name, out var text)) return null;
        properties.Remove(name);
        return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value) ? value : null;
    }

    private static void ValidateTopic(string topic)
    {
        if (string.IsNullOrWhiteSpace(topic)) throw new MQClientException(ResponseCode.MessageIllegal, "Topic must not be empty.");
        if (Encoding.UTF8.GetByteCount(topic) > StoredMessageLayout.MaxTopicLength)
        {
            throw new MQClientException(ResponseCode.MessageIllegal, $"Topic {topic} is longer than {StoredMessageLayout.MaxTopicLength} bytes.");
        }
        foreach (char c in topic)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '%' or '-' or '_' or '|'))
            {
                throw new MQClientException(ResponseCode.MessageIllegal, $"Topic {topic} contains '{c}'; allowed are letters, digits, %, -, _ and |.");
            }
        }
    }

    private static void ValidateBody(byte[]? body)
    {
        if (body is null || body.Length == 0) throw new MQClientException(ResponseCode.MessageIllegal, "Message body must not be empty.");
    }
}
