using System.Buffers;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using RaftMq.Broker.Processors.Delay;
using RaftMq.Broker.Processors.Send;
using RaftMq.Broker.Store;
using RaftMq.Protocol;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Frames;
using RaftMq.Protocol.Headers;
using RaftMq.Protocol.Messages;
using RaftMq.Protocol.Remoting;

namespace RaftMq.Broker.Processors.Consumer;

/// <summary>
/// CONSUMER_SEND_MSG_BACK (36): a consumer failed a message; re-store it into <c>%RETRY%group</c> (RETRY_TOPIC,
/// ORIGIN_MESSAGE_ID, RECONSUME_TIME set, reconsumeTimes + 1), or into <c>%DLQ%group</c> once it was re-delivered
/// maxReconsumeTimes times or the consumer asked for it (delayLevel &lt; 0). A retry waits its delay level first, as
/// in RocketMQ: the requested level, or 3 + reconsumeTimes when the consumer leaves it to the broker (0), so the
/// first retry comes after 10 s with the default levels. It waits in <c>SCHEDULE_TOPIC_XXXX</c> like a DELAY send.
/// </summary>
public sealed class SendBackProcessor : IRemotingRequestHandler
{
    private readonly IMessageStore _store;
    private readonly TopicManager _topics;
    private readonly ProcessorOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public SendBackProcessor(IMessageStore store, TopicManager topics, ProcessorOptions options, TimeProvider time, ILogger logger)
    {
        _store = store;
        _topics = topics;
        _options = options;
        _time = time;
        _logger = logger;
    }

    public async ValueTask<RemotingCommand?> HandleAsync(RemotingContext context, RemotingCommand request, CancellationToken cancellationToken)
    {
        var header = ConsumerSendMsgBackRequestHeader.FromExtFields(request.ExtFields);
        if (!_store.IsWritable) return Responses.NotMaster(request, _options.BrokerName, _store.LeaderId);
        if (TopicValidation.ValidateName(SystemNames.RetryTopic(header.Group)) is { } invalid)
        {
            return request.CreateResponse(ResponseCode.MessageIllegal, $"consumer group {header.Group}: {invalid}");
        }
        var original = new ArrayBufferWriter<byte>(1024);
        if (!_store.TryReadMessage(header.Offset, original))
        {
            LogMessages.SendBackMessageMissing(_logger, header.Group, header.Offset);
            return request.CreateResponse(ResponseCode.SystemError,
                string.Create(CultureInfo.InvariantCulture, $"look message by offset failed, {header.Offset}"));
        }
        // As RocketMQ: a client's own limit (3.4.9+) wins; a client that sends none gets the group's retryMaxTimes.
        var group = SubscriptionGroups.Effective(_store, _options, header.Group);
        int maxReconsumeTimes = request.Version >= MQVersion.V3_4_9 && header.MaxReconsumeTimes is { } max ? max : group.RetryMaxTimes;
        int reconsumeTimes = StoredMessageView.Read(original.WrittenSpan).ReconsumeTimes;
        bool toDlq = header.DelayLevel < 0 || reconsumeTimes >= maxReconsumeTimes;
        string topic = toDlq ? SystemNames.DlqTopic(header.Group) : SystemNames.RetryTopic(header.Group);
        var (status, config) = await _topics.EnsureGroupTopicAsync(topic, toDlq ? 1 : group.RetryQueueNums, cancellationToken).ConfigureAwait(false);
        if (config is null) return Responses.FromStoreStatus(request, status, _options.BrokerName, _store.LeaderId, $"create {topic}");
        if (toDlq) LogMessages.MovedToDlq(_logger, header.Offset, header.Group, topic, reconsumeTimes);
        int queueId = toDlq ? 0 : Random.Shared.Next(Math.Max(1, config.WriteQueueNums));
        int delayLevel = toDlq ? 0 : _options.DelayLevels.Clamp(header.DelayLevel > 0 ? header.DelayLevel : 3 + reconsumeTimes);
        var destination = new Destination(topic, queueId, delayLevel);
        var records = RecordBatch.Rent();
        if (!TryEncodeRetry(records, original.WrittenSpan, header, destination))
        {
            records.Return();
            return request.CreateResponse(ResponseCode.MessageIllegal, "the re-delivered message's properties exceed 32767 bytes");
        }
        return await PutAsync(request, destination.StoreTopic, destination.StoreQueueId, records, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<RemotingCommand> PutAsync(RemotingCommand request, string topic, int queueId, RecordBatch records, CancellationToken cancellationToken)
    {
        var result = await records.PutAndReturnAsync(_store, topic, queueId, cancellationToken).ConfigureAwait(false);
        return result.Status == StoreStatus.Ok
            ? request.CreateResponse(ResponseCode.Success)
            : Responses.FromStoreStatus(request, result.Status, _options.BrokerName, result.LeaderId ?? _store.LeaderId, "send back");
    }

    /// <summary>Encodes the re-delivered copy: same body, flags and born fields; new store time and host; reconsumeTimes + 1.</summary>
    private bool TryEncodeRetry(RecordBatch records, ReadOnlySpan<byte> originalRecord, ConsumerSendMsgBackRequestHeader header, Destination destination)
    {
        var message = StoredMessageView.Read(originalRecord);
        var properties = Encoding.UTF8.GetBytes(MessageProperties.Encode(RetryProperties(message, header, destination)));
        if (properties.Length > StoredMessageLayout.MaxPropertiesLength) return false;
        var fields = message.Fields with
        {
            QueueId = destination.StoreQueueId,
            QueueOffset = 0,
            PhysicalOffset = 0,
            StoreTimestamp = _time.GetUtcNow().ToUnixTimeMilliseconds(),
            StoreHost = _options.StoreHost,
            ReconsumeTimes = message.ReconsumeTimes + 1,
            // A committed transactional message carries its half message offset; the retry copy ends no transaction.
            PreparedTransactionOffset = 0,
        };
        MessageRecordWriter.AppendVerbatim(records, fields, message.Body, destination.StoreTopic, properties);
        return true;
    }

    /// <summary>The original properties plus where it came from and how often it was re-delivered.</summary>
    private StringMap RetryProperties(in StoredMessageView message, ConsumerSendMsgBackRequestHeader header, Destination destination)
    {
        var properties = MessageProperties.Parse(message.PropertiesUtf8);
        if (!properties.ContainsKey(MessageProperty.RetryTopic)) properties.Set(MessageProperty.RetryTopic, message.Topic);
        if (!properties.ContainsKey(MessageProperty.OriginMessageId))
        {
            properties.Set(MessageProperty.OriginMessageId, string.IsNullOrWhiteSpace(header.OriginMsgId)
                ? OffsetMessageId.Create(message.StoreHost, message.PhysicalOffset)
                : header.OriginMsgId);
        }
        properties.Set(MessageProperty.ReconsumeTime, (message.ReconsumeTimes + 1).ToString(CultureInfo.InvariantCulture));
        // Left over from an earlier delivery: only this retry's own level and destination count.
        properties.Remove(MessageProperty.ScheduledFrom);
        destination.Describe(properties);
        properties.Set(MessageProperty.Cluster, _options.ClusterName);
        return properties;
    }
}
