using System.Text;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Frames;
using RaftMq.Protocol.Headers;
using RaftMq.Protocol.Messages;
using RaftMq.Protocol.Remoting;

namespace RaftMq.Client.Tests.Fakes;

internal sealed partial class FakeBroker
{
    private RemotingCommand? Send(RemotingContext context, RemotingCommand request)
    {
        if (NotMaster) return request.CreateResponse(ResponseCode.ServiceNotAvailable, "broker is not master, cannot serve write requests");
        if (SendFailureCode != 0) return request.CreateResponse(SendFailureCode, "injected failure");
        var header = SendMessageRequestHeader.FromRequest(request);
        string topic = header.Topic;
        int queueId = Math.Max(0, header.QueueId);
        int reconsumeTimes = header.ReconsumeTimes ?? 0;
        if (SystemNames.IsRetryTopic(topic) && reconsumeTimes > (header.MaxReconsumeTimes ?? 16))
        {
            topic = SystemNames.DlqTopic(topic[SystemNames.RetryGroupTopicPrefix.Length..]);
            queueId = 0;
        }
        if (!EnsureTopicForSend(topic, header.DefaultTopicQueueNums, out int queues)) return request.CreateResponse(ResponseCode.TopicNotExist, $"topic[{topic}] not exist");
        if (queueId >= queues) return request.CreateResponse(ResponseCode.SystemError, $"queueId {queueId} out of range");
        var bornHost = MessageHost.FromEndPoint(context.RemoteEndPoint);
        var ids = new List<string>();
        long firstQueueOffset = -1;
        if (request.Code == RequestCode.SendBatchMessage)
        {
            foreach (var element in BatchMessageCodec.ReadAll(request.Body.Span))
            {
                var (queueOffset, physical) = Store(topic, queueId, element.Flag, 0, header.BornTimestamp, bornHost, 0, element.Body, Encoding.UTF8.GetString(element.PropertiesUtf8));
                if (firstQueueOffset < 0) firstQueueOffset = queueOffset;
                ids.Add(OffsetMessageId.Create(StoreHost, physical));
            }
        }
        else
        {
            var properties = MessageProperties.Parse(header.Properties);
            if (int.TryParse(properties[MessageProperty.DelayTimeLevel], out int level) && level > 0) RequestedDelayLevels.Enqueue(level);
            var (queueOffset, physical) = Store(topic, queueId, header.Flag, header.SysFlag, header.BornTimestamp, bornHost, reconsumeTimes, request.Body.Span, header.Properties);
            firstQueueOffset = queueOffset;
            ids.Add(OffsetMessageId.Create(StoreHost, physical));
        }
        var response = request.CreateResponse(ResponseCode.Success);
        new SendMessageResponseHeader
        {
            MsgId = string.Join(",", ids), QueueId = queueId, QueueOffset = firstQueueOffset, MessageRegion = "DefaultRegion", TraceOn = "true",
        }.ToExtFields(response.ExtFields);
        if (SendReplyDelay <= TimeSpan.Zero) return response;
        _ = Task.Delay(SendReplyDelay).ContinueWith(_ => context.RespondAsync(response).AsTask(), TaskScheduler.Default);
        return null;
    }

    private bool EnsureTopicForSend(string topic, int defaultQueueNums, out int queues)
    {
        lock (_lock)
        {
            if (_topics.TryGetValue(topic, out queues)) return true;
        }
        bool system = SystemNames.IsRetryTopic(topic) || SystemNames.IsDlqTopic(topic);
        if (!system && !AutoCreateTopics) return false;
        queues = system ? 1 : Math.Min(defaultQueueNums, 8);
        CreateTopic(topic, queues);
        return true;
    }

    /// <summary>Stores a record as it is, whatever its sysFlag claims (what a broker without validation would keep).</summary>
    public void StoreRaw(string topic, int queueId, int sysFlag, byte[] body, string? properties) =>
        Store(topic, queueId, 0, sysFlag, 1_700_000_000_000, new MessageHost(0x7F000001, 1), 0, body, properties);

    /// <summary>Appends a stored record to the queue and the "commit log"; wakes long polls waiting on the queue.</summary>
    private (long QueueOffset, long PhysicalOffset) Store(
        string topic, int queueId, int flag, int sysFlag, long bornTimestamp, MessageHost bornHost, int reconsumeTimes,
        ReadOnlySpan<byte> body, string? properties)
    {
        long queueOffset;
        long physical;
        lock (_lock)
        {
            if (!_queues.TryGetValue((topic, queueId), out var records)) _queues[(topic, queueId)] = records = [];
            queueOffset = records.Count;
            physical = _nextPhysicalOffset;
            var fields = new StoredMessageFields
            {
                QueueId = queueId, Flag = flag, QueueOffset = queueOffset, PhysicalOffset = physical, SysFlag = sysFlag,
                BornTimestamp = bornTimestamp, BornHost = bornHost, StoreTimestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
                StoreHost = StoreHost, ReconsumeTimes = reconsumeTimes,
            };
            var record = new byte[StoredMessageCodec.GetRecordSize(body.Length, topic, properties)];
            StoredMessageCodec.Encode(record, fields, body, topic, properties);
            records.Add(record);
            _commitLog[physical] = record;
            _nextPhysicalOffset += record.Length;
        }
        WakeLongPolls(topic, queueId);
        return (queueOffset, physical);
    }
}
