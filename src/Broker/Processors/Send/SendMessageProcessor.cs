using System.Globalization;
using Microsoft.Extensions.Logging;
using RaftMq.Broker.Store;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Frames;
using RaftMq.Protocol.Headers;
using RaftMq.Protocol.Messages;
using RaftMq.Protocol.Remoting;

namespace RaftMq.Broker.Processors.Send;

/// <summary>
/// SEND_MESSAGE (10), SEND_MESSAGE_V2 (310) and SEND_BATCH_MESSAGE (320). Validates, resolves (or auto-creates)
/// the topic, encodes the stored records with the leader-side fields final (store time, store host, born host,
/// body CRC, CLUSTER property) into a pooled buffer, and answers SEND_OK only once the store reports the entries
/// committed and applied. A follower answers "not master" (14); an unknown outcome is never reported as success.
/// </summary>
public sealed partial class SendMessageProcessor : IRemotingRequestHandler
{
    private readonly IMessageStore _store;
    private readonly TopicManager _topics;
    private readonly ProcessorOptions _options;
    private readonly BrokerStats _stats;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _traceOn;
    private readonly ISlaveReplication? _syncMaster;
    private int _nextQueue;

    /// <param name="syncMaster">SYNC_MASTER: a send committed on this master is answered once a slave holds it too.</param>
    public SendMessageProcessor(IMessageStore store, TopicManager topics, ProcessorOptions options, BrokerStats stats,
        TimeProvider time, ILogger logger, ISlaveReplication? syncMaster = null)
    {
        _syncMaster = syncMaster;
        _store = store;
        _topics = topics;
        _options = options;
        _stats = stats;
        _time = time;
        _logger = logger;
        _traceOn = options.TraceOn ? "true" : "false";
    }

    public async ValueTask<RemotingCommand?> HandleAsync(RemotingContext context, RemotingCommand request, CancellationToken cancellationToken)
    {
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        var header = SendMessageRequestHeader.FromRequest(request);
        if (!_store.IsWritable) return Responses.NotMaster(request, _options.BrokerName, _store.LeaderId);
        bool batch = request.Code == RequestCode.SendBatchMessage;
        var (rejection, target) = await ResolveTargetAsync(request, header, batch, cancellationToken).ConfigureAwait(false);
        if (rejection is not null)
        {
            LogMessages.SendRejected(_logger, header.Topic, context.RemoteAddress, rejection.Remark ?? "");
            return rejection;
        }
        var records = RecordBatch.Rent();
        bool handedOver = false;
        var outcome = StoreStatus.Unknown;
        try
        {
            var invalid = batch
                ? EncodeBatch(records, request, header, target, BornHost(context))
                : EncodeSingle(records, request, header, target, BornHost(context));
            if (invalid is not null) return invalid;
            handedOver = true;
            var result = await _store.PutMessagesAsync(target.StoreTopic, target.StoreQueueId, records, cancellationToken).ConfigureAwait(false);
            outcome = result.Status;
            int code = result.Status == StoreStatus.Ok ? await SlaveAckCodeAsync(header, cancellationToken).ConfigureAwait(false) : ResponseCode.Success;
            return Reply(request, target, result, records, started, code);
        }
        finally
        {
            // After an unknown outcome (or an exception) the log may still reference the bytes: never reuse them.
            if (!handedOver || outcome is not StoreStatus.Unknown) records.Return();
        }
    }

    /// <summary>
    /// RocketMQ's SYNC_MASTER outcome of a stored send: SUCCESS once a slave holds it, FLUSH_SLAVE_TIMEOUT (12) when none
    /// caught up within syncFlushTimeout, SLAVE_NOT_AVAILABLE (11) when no slave is connected or close enough. Either way
    /// the message is stored on the master and the answer carries its ids and offset. A message whose WAIT property is
    /// false does not wait, as in RocketMQ.
    /// </summary>
    private async ValueTask<int> SlaveAckCodeAsync(SendMessageRequestHeader header, CancellationToken cancellationToken)
    {
        if (_syncMaster is null || !WaitsForStore(header.Properties)) return ResponseCode.Success;
        return await _syncMaster.WaitAsync(cancellationToken).ConfigureAwait(false) switch
        {
            Consensus.Runtime.LearnerAckResult.Replicated => ResponseCode.Success,
            Consensus.Runtime.LearnerAckResult.TimedOut => ResponseCode.FlushSlaveTimeout,
            _ => ResponseCode.SlaveNotAvailable,
        };
    }

    /// <summary>False only when the properties say <c>WAIT</c>=false (RocketMQ's isWaitStoreMsgOK defaults to true).</summary>
    internal static bool WaitsForStore(string? properties)
    {
        const string waitFalse = "WAIT\u0001false";
        if (string.IsNullOrEmpty(properties)) return true;
        for (int at = properties.IndexOf(waitFalse, StringComparison.Ordinal); at >= 0; at = properties.IndexOf(waitFalse, at + 1, StringComparison.Ordinal))
        {
            int end = at + waitFalse.Length;
            bool whole = (at == 0 || properties[at - 1] == '\u0002') && (end == properties.Length || properties[end] == '\u0002');
            if (whole) return false;
        }
        return true;
    }

    private RemotingCommand Reply(RemotingCommand request, SendTarget target, PutResult result, RecordBatch records, long started, int code)
    {
        if (result.Status != StoreStatus.Ok)
        {
            if (result.Status == StoreStatus.Unknown) LogMessages.SendOutcomeUnknown(_logger, target.Topic);
            return Responses.FromStoreStatus(request, result.Status, _options.BrokerName, result.LeaderId ?? _store.LeaderId, "send");
        }
        _stats.AddPut(target.Topic, records.Count, StoredBytes(records), started);
        var response = request.CreateResponse(code);
        new SendMessageResponseHeader
        {
            MsgId = MessageIds(records, result.PhysicalOffset),
            QueueId = target.QueueId,
            QueueOffset = result.QueueOffset,
            MessageRegion = _options.Region,
            TraceOn = _traceOn,
        }.ToExtFields(response.ExtFields);
        return response;
    }

    /// <summary>offsetMsgId of each record, comma-joined. Records of one put are consecutive log entries, so each
    /// physical offset is the previous one plus the previous record and one entry header.</summary>
    private string MessageIds(RecordBatch records, long firstPhysicalOffset)
    {
        if (records.Count == 1) return OffsetMessageId.Create(_options.StoreHost, firstPhysicalOffset);
        int length = (records.Count * (OffsetMessageId.Length + 1)) - 1;
        return string.Create(length, (records, firstPhysicalOffset, _options.StoreHost), static (chars, state) =>
        {
            long offset = state.firstPhysicalOffset;
            for (int i = 0; i < state.records.Count; i++)
            {
                int at = i * (OffsetMessageId.Length + 1);
                if (i > 0) chars[at - 1] = ',';
                OffsetMessageId.Format(state.StoreHost, offset, chars.Slice(at, OffsetMessageId.Length));
                offset += state.records.LengthAt(i) + Consensus.Core.EntryLayout.HeaderSize;
            }
        });
    }

    private StoredMessageFields Fields(SendMessageRequestHeader header, SendTarget target, MessageHost bornHost, int flag) => new()
    {
        QueueId = target.StoreQueueId,
        Flag = flag,
        // Hosts are stored as IPv4 whatever the producer's address family (ali-ons reads 4-byte hosts only). A half
        // message is stored with the transaction type reset, as RocketMQ does; its commit sets COMMIT.
        SysFlag = target.Prepared
            ? MessageSysFlag.ResetTransactionValue(header.SysFlag & ~(MessageSysFlag.BornHostV6 | MessageSysFlag.StoreHostV6), MessageSysFlag.TransactionNotType)
            : header.SysFlag & ~(MessageSysFlag.BornHostV6 | MessageSysFlag.StoreHostV6),
        BornTimestamp = header.BornTimestamp,
        BornHost = bornHost,
        StoreTimestamp = _time.GetUtcNow().ToUnixTimeMilliseconds(),
        StoreHost = _options.StoreHost,
        ReconsumeTimes = target.ReconsumeTimes,
    };

    /// <summary>The producer's address as stored in BORNHOST; a non-IPv4 peer is stored as 0.0.0.0 with its port.</summary>
    internal static MessageHost BornHost(RemotingContext context)
    {
        var endPoint = context.RemoteEndPoint;
        var address = endPoint.Address.IsIPv4MappedToIPv6 ? endPoint.Address.MapToIPv4() : endPoint.Address;
        return address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
            ? MessageHost.FromEndPoint(new System.Net.IPEndPoint(address, endPoint.Port))
            : new MessageHost(0, endPoint.Port);
    }

    private int PickQueue(TopicConfig topic) =>
        (int)((uint)Interlocked.Increment(ref _nextQueue) % (uint)Math.Max(1, topic.WriteQueueNums));

    private static long StoredBytes(RecordBatch records)
    {
        long bytes = 0;
        for (int i = 0; i < records.Count; i++) bytes += records.LengthAt(i);
        return bytes;
    }

    private static RemotingCommand Illegal(RemotingCommand request, string remark) =>
        request.CreateResponse(ResponseCode.MessageIllegal, remark);

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Where a send goes after topic resolution and retry/DLQ diversion. A delayed send (DelayLevel &gt; 0) is stored
    /// in <c>SCHEDULE_TOPIC_XXXX</c> queue DelayLevel - 1 with REAL_TOPIC/REAL_QID naming Topic/QueueId, where the
    /// delay scheduler re-delivers it when due. A transactional one (Prepared) is stored as a half message in
    /// <c>RMQ_SYS_TRANS_HALF_TOPIC</c> queue 0, where END_TRANSACTION or a check finds it.
    /// </summary>
    private readonly record struct SendTarget(string Topic, int QueueId, int ReconsumeTimes, int DelayLevel, bool Prepared = false)
    {
        public Delay.Destination Destination => new(Topic, QueueId, DelayLevel);

        public string StoreTopic => Prepared ? SystemNames.TransactionHalfTopic : Destination.StoreTopic;

        public int StoreQueueId => Prepared ? 0 : Destination.StoreQueueId;
    }
}
